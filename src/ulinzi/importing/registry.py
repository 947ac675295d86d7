"""Every importer kind, in one registry read by the CLI, the docs test and (later) the API.

Entries name their command module by dotted path so this registry stays import-light; a
command module exposes ``add_arguments(parser)`` and ``run(args, console) -> int``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImporterSpec:
    kind: str
    summary: str
    formats: tuple[str, ...]
    command_module: str


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
            kind="boundaries",
            summary="administrative areas from COD-AB GeoJSON",
            formats=("geojson", "json"),
            command_module="ulinzi.geo.importers.boundaries.command",
        ),
    )
}
