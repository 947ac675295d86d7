"""``ulinzi insights before-after``: the before/after view at the server's command line.

Imports nothing from Django until the command runs, so ``ulinzi --help`` stays instant.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

from ulinzi.incidents.taxonomy import EVENT_TYPES

# ``before_after.MAX_WEEKS``, not imported: that module loads numpy, which ``ulinzi --help`` must not
# wait for. A test keeps the two in step.
MAX_WEEKS = 104

Command = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]


def cmd_insights(args: argparse.Namespace) -> int:
    from ulinzi.insights import commands  # noqa: PLC0415  Django is set up only when a command runs

    return commands.before_after(args)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _weeks(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_WEEKS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of weeks from 1 to {MAX_WEEKS}")
    return int(text)


def add_insights(command: Command) -> None:
    insights = command("insights", "compare events and deaths in an area before and after a date", cmd_insights)
    actions = insights.add_subparsers(dest="action", metavar="ACTION", required=True)
    summary = "events and deaths per week before and after a date, the change, the trend before, and the caveat"
    before_after = actions.add_parser("before-after", help=summary, description=summary)
    before_after.add_argument("--area", required=True, metavar="PCODE", help="a P-code at any level, e.g. HT0111")
    before_after.add_argument(
        "--date", required=True, type=_date, metavar="DATE", help="the pivot, YYYY-MM-DD; its week counts as after"
    )
    before_after.add_argument(
        "--weeks", type=_weeks, default=12, metavar="N", help=f"weeks on each side, 1 to {MAX_WEEKS} (default 12)"
    )
    before_after.add_argument(
        "--event-type", choices=EVENT_TYPES, metavar="TYPE", help="only this ACLED event type, e.g. Battles"
    )
