"""Write population figures onto loaded areas; every P-code must be a loaded area."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ulinzi.geo.importers.population.rows import PopulationRow, detect_columns, read_rows
from ulinzi.geo.models import AdminArea
from ulinzi.importing.csvrows import CsvSource
from ulinzi.importing.errors import ImportRejected, RowError


@dataclass
class PopulationOutcome:
    file: str
    year: int | None
    updated: int = 0
    unchanged: int = 0
    notices: list[str] = field(default_factory=list)


def import_population(path: Path, *, year: int | None = None, source_note: str = "") -> PopulationOutcome:
    """Set each listed area's population; refuse the whole file if any row is wrong."""
    with CsvSource(path) as source:
        columns = detect_columns(source)
        header = source.check_header((columns.pcode, columns.population), source.columns)
        rows: list[PopulationRow] = []
        errors: list[RowError] = []
        for item in read_rows(source, columns):
            if isinstance(item, RowError):
                errors.append(item)
            else:
                rows.append(item)
        known = set(AdminArea.objects.filter(pcode__in=[r.pcode for r in rows]).values_list("pcode", flat=True))
        seen: dict[str, int] = {}
        for row in rows:
            if row.pcode not in known:
                errors.append(RowError(source.name, row.line, columns.pcode, f"{row.pcode!r} is not a loaded area"))
            elif row.pcode in seen:
                reason = f"{row.pcode!r} already given on line {seen[row.pcode]}"
                errors.append(RowError(source.name, row.line, columns.pcode, reason))
            seen.setdefault(row.pcode, row.line)
        if errors:
            raise ImportRejected(sorted(errors, key=lambda error: error.line))
        outcome = PopulationOutcome(file=source.name, year=year or columns.year)
        if header.ignored:
            outcome.notices.append(f"columns not used: {', '.join(header.ignored)}")
        note = source_note or source.name
        with transaction.atomic():
            current = dict(AdminArea.objects.filter(pcode__in=known).values_list("pcode", "population"))
            for row in rows:
                if current[row.pcode] == row.population:
                    outcome.unchanged += 1
                    continue
                AdminArea.objects.filter(pcode=row.pcode).update(
                    population=row.population, population_year=outcome.year, population_source=note[:500]
                )
                outcome.updated += 1
    return outcome
