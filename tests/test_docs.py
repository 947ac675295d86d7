"""The documentation is kept honest by tests: settings, commands, importers, dependencies."""

import re
import tomllib
from pathlib import Path

import pytest

from ulinzi.cli import build_parser
from ulinzi.importing.registry import IMPORTERS
from ulinzi.settings import SETTINGS_VARIABLES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def headings(path: Path, level: int) -> list[str]:
    marker = "#" * level + " "
    return [line[len(marker) :].strip() for line in path.read_text().splitlines() if line.startswith(marker)]


def test_every_setting_is_documented_and_nothing_else():
    documented = [name for name in headings(DOCS / "configuration.md", 3) if name.startswith("ULINZI_")]
    assert documented == list(SETTINGS_VARIABLES)


def test_every_command_has_a_section():
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command").choices
    assert commands is not None
    documented = {name.removeprefix("ulinzi ") for name in headings(DOCS / "cli.md", 3)}
    assert set(commands) <= documented


def test_the_help_shown_in_the_cli_reference_is_the_real_help(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    text = (DOCS / "cli.md").read_text()
    block = re.search(r"```text\n(usage: ulinzi .*?)```", text, re.DOTALL)
    assert block is not None
    assert block.group(1) == build_parser().format_help()


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_every_importer_kind_is_documented(kind):
    assert kind in headings(DOCS / "importing.md", 2)


def test_every_pinned_dependency_is_explained():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    table = (DOCS / "dependencies.md").read_text()
    for pin in pins:
        name, version = pin.split("==")
        assert f"`{name}`" in table, f"{name} is not in docs/dependencies.md"
        assert version in table, f"{name} {version} is not the version docs/dependencies.md gives"


def test_the_readme_quick_start_is_the_two_make_targets():
    readme = (ROOT / "README.md").read_text()
    quick_start = re.search(r"## Quick start\n.*?```sh\n(.*?)```", readme, re.DOTALL)
    assert quick_start is not None
    assert quick_start.group(1).split("\n")[:2] == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.MULTILINE)
    assert re.search(r"^test:", makefile, re.MULTILINE)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_changelog_has_an_unreleased_section():
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text()
