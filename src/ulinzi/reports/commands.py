"""``ulinzi report``'s work once Django is set up: check the input, build, render, write, audit.

Bad input (a month that is not one, an area not loaded) gets one line and exit status 2, and no
file is written; the file is written beside its target and renamed at the end, so a failed
render leaves no half a report.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from django.utils import timezone
from rich.console import Console

from ulinzi.accounts.policy import Viewer
from ulinzi.audit import services as audit
from ulinzi.reports import content
from ulinzi.reports import render as rendering
from ulinzi.reports.period import BadPeriod, parse_month

USAGE_ERROR = 2
errors = Console(highlight=False, soft_wrap=True, stderr=True)


def report(args: argparse.Namespace) -> int:
    today = timezone.now().date()
    started = time.perf_counter()
    try:
        month = parse_month(args.period, today)
        area = content.resolve_area(args.area)
    except (BadPeriod, content.UnknownArea) as error:
        errors.print(str(error), style="red", markup=False)
        return USAGE_ERROR
    output: Path = args.output or Path(rendering.file_name(month, area.pcode if area else None, args.format))
    built = content.build(Viewer.operator(args.clearance), month, area.pcode if area else None, today)
    body = rendering.render(built, args.format)
    partial = output.with_name(f"{output.name}.part")
    try:
        partial.write_bytes(body)
        partial.replace(output)
    except OSError as error:
        errors.print(f"cannot write {output}: {error.strerror}", style="red", markup=False)
        return 1
    finally:
        partial.unlink(missing_ok=True)
    content.record_produced(audit.operator(), built, args.format, str(output))
    seconds = time.perf_counter() - started
    label = built.cover.highest
    line = f"{output}: {month.name}, {built.cover.area_name}, up to {label.code} {label.title}, in {seconds:.1f} s"
    errors.print(line, markup=False)
    return 0
