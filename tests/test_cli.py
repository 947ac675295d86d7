"""The ``ulinzi`` command as a user runs it: a real process against a scratch database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ULINZI = [sys.executable, "-m", "ulinzi.cli"]


def run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "ULINZI_VAR_DIR": str(tmp_path / "var"),
        "ULINZI_DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}",
        "COLUMNS": "100",
        **extra,
    }
    return subprocess.run([*ULINZI, *args], env=env, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603  our own command


def test_help_lists_every_command_with_a_summary(tmp_path):
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    for command in ("run", "migrate", "demo", "import", "account", "token", "manage"):
        assert f"    {command} " in result.stdout


def test_import_help_lists_the_registered_kinds(tmp_path):
    result = run(["import", "--help"], tmp_path)
    assert "strength" in result.stdout and "boundaries" in result.stdout


@pytest.mark.slow
def test_a_bad_strength_file_prints_one_line_per_problem_and_changes_nothing(tmp_path, fixtures_dir):
    assert run(["migrate"], tmp_path).returncode == 0
    assert (tmp_path / "scratch.sqlite3").exists()
    good = run(["import", "strength", str(fixtures_dir / "strength_template.csv")], tmp_path)
    assert good.returncode == 0, good.stderr
    assert "6 created" in good.stdout
    assert "rows/s" in good.stdout

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "record,date,country,kind,sources\n"
        "movement,2024-13-01,KE,arrival,ref\n"
        "movement,2024-02-01,Atlantis,arrival,ref\n"
    )
    rejected = run(["import", "strength", str(bad)], tmp_path)
    assert rejected.returncode == 1
    problems = [line for line in rejected.stdout.splitlines() if line.startswith("bad.csv:")]
    assert problems == [
        "bad.csv:1: personnel: required column is missing",
        "bad.csv:2: date: '2024-13-01' is not a valid date (expected YYYY-MM-DD)",
        "bad.csv:3: country: 'Atlantis' is not a country known to ISO 3166",
    ]
    assert "nothing was imported" in rejected.stdout

    again = run(["import", "strength", str(fixtures_dir / "strength_template.csv")], tmp_path)
    assert "0 created, 0 updated, 6 unchanged" in again.stdout


@pytest.mark.slow
def test_accounts_and_tokens_from_the_command_line(tmp_path):
    run(["migrate"], tmp_path)
    created = run(["account", "create", "dora", "--role", "partner"], tmp_path)
    assert created.returncode == 0
    assert "API token: ulz_" in created.stdout
    assert run(["account", "create", "dora", "--role", "partner"], tmp_path).returncode == 1
    token = run(["token", "create", "dora"], tmp_path)
    assert token.stdout.strip().startswith("ulz_")
    assert run(["token", "create", "nobody"], tmp_path).returncode == 1


def test_a_missing_file_is_a_clear_error(tmp_path):
    result = run(["import", "strength", str(tmp_path / "nope.csv")], tmp_path)
    assert result.returncode == 1
    assert "nope.csv: no such file" in result.stdout


def test_an_invalid_setting_stops_with_its_name(tmp_path):
    result = run(["migrate"], tmp_path, ULINZI_DEBUG="ture")
    assert result.returncode == 2
    assert "ULINZI_DEBUG='ture' is not a yes/no value" in result.stdout


def test_production_refuses_debug(tmp_path):
    result = run(["migrate"], tmp_path, ULINZI_PRODUCTION="1", ULINZI_DEBUG="1")
    assert result.returncode == 2
    assert "ULINZI_DEBUG must be off when ULINZI_PRODUCTION is on" in result.stdout


@pytest.mark.slow
def test_production_mode_passes_the_deploy_checks(tmp_path):
    result = run(["manage", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, ULINZI_PRODUCTION="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_development_mode_is_flagged_by_the_deploy_checks(tmp_path):
    result = run(["manage", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr + result.stdout


@pytest.mark.slow
def test_boundaries_import_from_the_command_line(tmp_path, fixtures_dir):
    run(["migrate"], tmp_path)
    result = run(["import", "boundaries", str(fixtures_dir / "three_areas.geojson")], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notice: 1 invalid polygon(s) repaired: XX0103" in result.stdout
    assert "three_areas.geojson: level 2: 3 created, 0 updated, 0 unchanged" in result.stdout
