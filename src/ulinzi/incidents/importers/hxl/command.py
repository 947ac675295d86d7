"""``ulinzi import hxl FILE``: the CLI adaptor over ``import_hxl``."""

from __future__ import annotations

import argparse

from rich.console import Console

from ulinzi.incidents.importers.command import add_arguments, run_importer

__all__ = ["add_arguments", "run"]


def run(args: argparse.Namespace, console: Console) -> int:
    return run_importer("hxl", args, console)
