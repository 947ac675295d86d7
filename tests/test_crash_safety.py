"""SIGKILL at random moments of ``ulinzi import`` leaves whole batches only (issue #7).

The suite runs once on SQLite and once on PostgreSQL; each run kills imports on its own engine
through ``scripts/crash_import.py``: 50 on SQLite, 20 on PostgreSQL. The figures go to the
terminal whatever the capture mode, so CI logs show how many kills landed mid-write.
"""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from scripts import crash_import

TRIALS = {"sqlite": 50, "postgres": 20}
ROWS = 3000
SEED = 7

pytestmark = [pytest.mark.crash, pytest.mark.slow]


def suite_backend() -> crash_import.Backend:
    """The engine this run of the suite is on; PostgreSQL's server is the suite's own."""
    database = settings.DATABASES["default"]
    if str(database["ENGINE"]).endswith("sqlite3"):
        return crash_import.SqliteBackend()
    password = f":{quote(str(database['PASSWORD']), safe='')}" if database.get("PASSWORD") else ""
    login = f"{quote(str(database['USER']), safe='')}{password}"
    return crash_import.PostgresBackend(f"postgres://{login}@{database['HOST']}:{database['PORT'] or 5432}/")


def show(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str], lines: list[str]) -> None:
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    with capsys.disabled():
        for line in lines:
            if reporter is not None:
                reporter.write_line(line)


def test_sigkill_mid_import_leaves_whole_batches_and_a_rerun_completes(
    request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    backend = suite_backend()
    report = crash_import.run_trials(backend, TRIALS[backend.name], ROWS, SEED, tmp_path)
    show(request, capsys, ["", *report.summary(), *(f"crash_import: FAILED {f}" for f in report.failures)])
    assert len(report.trials) == TRIALS[backend.name]
    assert report.failures == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events.csv"]


def test_the_checks_catch_a_half_written_batch(tmp_path: Path) -> None:
    """The checks above could pass by checking nothing; here the store is damaged as a torn import
    would leave it, and each check must say so."""
    backend = suite_backend()
    events_file = tmp_path / "events.csv"
    rng = random.Random(SEED)  # noqa: S311  test data, not secrets
    crash_import.write_events_csv(events_file, ROWS, rng)
    runner = crash_import.ImportRunner(events_file, tmp_path)
    backend.prepare_template(tmp_path)
    trial = backend.create_trial("torn")
    try:
        reference = crash_import.measure(backend, runner, ROWS)
        runner.complete(trial, "torn")
        with trial.session() as query:
            query(
                "DELETE FROM incidents_event_sources WHERE event_id IN "
                "(SELECT id FROM incidents_event WHERE natural_key > 'acled:CRASH001500')"
            )
            query("DELETE FROM incidents_event WHERE natural_key > 'acled:CRASH001500'")
            query("UPDATE incidents_eventdaytotal SET fatalities = fatalities + 1")
        committed, problems = crash_import.check_after_kill(trial, reference, ROWS)
    finally:
        trial.drop()
        runner.discard("torn")
        backend.drop_template()
    assert not committed
    assert any("incidents_event 1500 rows, expected 0" in problem for problem in problems)
    assert any("owns 1500 events" in problem for problem in problems)
    assert any("day totals disagree" in problem for problem in problems)
