"""What ``ulinzi insights before-after`` does once Django is set up (the arguments are in ``insights.cli``).

The operator at the server reads as an administrator (``Viewer.operator``), as every other
command that reads records does.
"""

from __future__ import annotations

import argparse

from rich.table import Table

from ulinzi.accounts.policy import Viewer
from ulinzi.cli import console
from ulinzi.insights import services


def before_after(args: argparse.Namespace) -> int:
    extras = services.EventExtras(event_type=args.event_type)
    try:
        found = services.before_after(Viewer.operator(), args.area, args.date, args.weeks, extras)
    except services.BadRequest as refused:
        console.print(f"{refused.field}: {refused.reason}; nothing to compare", style="red", markup=False)
        return 1
    result, span = found.result, found.result.window
    kind = f", {found.extras.event_type} only" if found.extras.event_type else ""
    console.print(
        f"{found.area_name} ({found.pcode}): {span.weeks} weeks each side of {span.pivot}{kind}; "
        f"the week from {span.pivot_week} counts as after",
        markup=False,
    )
    if found.illustrative:
        console.print("Illustrative data, not an assessment: some of these events were made up for the demo.")
    console.print(_weeks_table(found), markup=False)
    for side in (result.events, result.fatalities):
        console.print(
            f"{side.measure}: {side.before_total} before, {side.after_total} after; {side.sentence}", markup=False
        )
    console.rule("What this comparison cannot prove", characters="-")
    for sentence in found.caveat:
        console.print(f"- {sentence}", markup=False)
    return 0


def _weeks_table(found: services.AreaBeforeAfter) -> Table:
    table = Table("week", "side", "events", "trend before", "deaths", "trend before", box=None, pad_edge=False)
    for column in table.columns[2:]:
        column.justify = "right"
    for row in found.result.rows:
        table.add_row(
            row.start.isoformat(),
            "after" if row.after else "before",
            str(row.events),
            f"{row.events_trend:.1f}",
            str(row.fatalities),
            f"{row.fatalities_trend:.1f}",
        )
    return table
