"""What the fuzzing modules share: a place for their figures, printed after the test summary.

Fuzzing proves little unless CI shows how much was tried, so each module keeps a tally (inputs,
requests, failures) and the tallies are printed at the end of every run, passed or failed.
"""

from __future__ import annotations

import pytest

TALLIES = pytest.StashKey[dict[str, object]]()


@pytest.fixture
def fuzz_tallies(request: pytest.FixtureRequest) -> dict[str, object]:
    """One tally per fuzzing module, by name; printed with ``str``."""
    return request.config.stash.setdefault(TALLIES, {})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for tally in terminalreporter.config.stash.get(TALLIES, {}).values():
        for line in str(tally).splitlines():
            terminalreporter.write_line(line)
