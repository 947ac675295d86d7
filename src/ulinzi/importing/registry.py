"""Every importer kind, in one registry read by the CLI, the docs test and (later) the API.

Entries name their command module by dotted path so this registry stays import-light; a
command module exposes ``add_arguments(parser)`` and ``run(args, console) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
from dataclasses import dataclass
from typing import Protocol, cast

from rich.console import Console


class ImporterCommand(Protocol):
    """What a command module provides: its options, and a run that returns an exit status."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, console: Console) -> int: ...


@dataclass(frozen=True)
class ImporterSpec:
    kind: str
    summary: str
    formats: tuple[str, ...]
    command_module: str

    def command(self) -> ImporterCommand:
        return cast(ImporterCommand, importlib.import_module(self.command_module))


IMPORTERS: dict[str, ImporterSpec] = {
    spec.kind: spec
    for spec in (
        ImporterSpec(
            kind="strength",
            summary="force movements, pledges and ceilings (Ulinzi template or MSS timeline CSV)",
            formats=("csv",),
            command_module="ulinzi.forces.importers.strength.command",
        ),
        ImporterSpec(
            kind="acled",
            summary="events from an ACLED export (CSV, any column order, extra columns ignored)",
            formats=("csv",),
            command_module="ulinzi.incidents.importers.acled.command",
        ),
        ImporterSpec(
            kind="ucdp",
            summary="events from a UCDP GED export (CSV; low/best/high fatality estimates kept)",
            formats=("csv",),
            command_module="ulinzi.incidents.importers.ucdp.command",
        ),
        ImporterSpec(
            kind="hxl",
            summary="events from an HXL-tagged CSV (columns found by hashtag, e.g. #date, #affected+killed)",
            formats=("csv",),
            command_module="ulinzi.incidents.importers.hxl.command",
        ),
        ImporterSpec(
            kind="actors",
            summary="actors with their EN/FR/HT aliases and coalition memberships with dates (CSV)",
            formats=("csv",),
            command_module="ulinzi.incidents.importers.actors.command",
        ),
        ImporterSpec(
            kind="boundaries",
            summary="administrative areas from GeoJSON or a shapefile (COD-AB, geoBoundaries or GADM schema)",
            formats=("geojson", "json", "shp"),
            command_module="ulinzi.geo.importers.boundaries.command",
        ),
        ImporterSpec(
            kind="population",
            summary="population per administrative area, from a CSV keyed by P-code",
            formats=("csv",),
            command_module="ulinzi.geo.importers.population.command",
        ),
        ImporterSpec(
            kind="gazetteer",
            summary="named places for geocoding (COD-AB admin gazetteer or Ulinzi places CSV)",
            formats=("csv",),
            command_module="ulinzi.geo.importers.gazetteer.command",
        ),
        ImporterSpec(
            kind="control",
            summary="territorial-control areas (GeoJSON polygons with actor and validity dates)",
            formats=("geojson", "json"),
            command_module="ulinzi.geo.importers.control.command",
        ),
        ImporterSpec(
            kind="roads",
            summary="road lines for routing (GeoJSON, e.g. exported from OpenStreetMap), split at junctions",
            formats=("geojson", "json"),
            command_module="ulinzi.geo.importers.roads.command",
        ),
        ImporterSpec(
            kind="sgbv",
            summary="sexual-violence counts by month, commune and GBVIMS category (CSV; survivor-level data refused)",
            formats=("csv",),
            command_module="ulinzi.protection.importers.sgbv.command",
        ),
        ImporterSpec(
            kind="tracks",
            summary="patrol tracks: GPX, GeoJSON, CSV (time, lat, lon, device) or Cursor-on-Target XML",
            formats=("gpx", "geojson", "json", "csv", "xml", "cot"),
            command_module="ulinzi.patrols.command",
        ),
    )
}
