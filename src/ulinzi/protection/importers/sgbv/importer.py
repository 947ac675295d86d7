"""Store SGBV counts: every P-code checked against the loaded communes, all or nothing.

**The replacement rule.** A file is the complete statement of every month and commune it names:
each (month, commune) pair in the file replaces every stored cell of that pair, and pairs it does
not name are left alone. So a corrected file for March in one commune replaces March there and
nothing else, a row with count 0 states that a cell is now empty, and importing the same file
again changes nothing (its pairs already hold exactly its cells).

A section communale (admin level 3) is coarsened to its commune and its counts added up; a
department, an unknown code or anything finer than a section is refused, as is a commune given
both whole and by section in one month (the sum would count incidents twice).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from ulinzi.geo.models import AdminArea
from ulinzi.importing.csvrows import CsvSource
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.files import file_sha256
from ulinzi.protection.importers.sgbv.rows import SgbvRow, check_header, read_rows
from ulinzi.protection.models import SgbvCount
from ulinzi.sources.models import ImportBatch

KIND = "sgbv"
COMMUNE_LEVEL = 2
SECTION_LEVEL = 3

Place = tuple[dt.date, str]  # (month, commune)
Bands = tuple[str, str, str, str]  # (type, age band, sex band, perpetrator type)


@dataclass
class SgbvOutcome:
    file: str
    rows_read: int = 0
    sections_coarsened: int = 0
    places_replaced: int = 0
    places_unchanged: int = 0
    cells_written: int = 0
    cells_removed: int = 0
    batch_id: int | None = None
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Commune:
    """Where a row's P-code lands: its commune, and whether it was a section coarsened into it."""

    pcode: str
    from_section: bool


def import_sgbv(path: Path, *, user: User | None = None, today: dt.date | None = None) -> SgbvOutcome:
    """Import an SGBV counts CSV; raise ImportRejected, writing nothing, if any row is wrong."""
    with CsvSource(path) as source:
        check_header(source)
        rows: list[SgbvRow] = []
        errors: list[RowError] = []
        for item in read_rows(source, today or timezone.now().date()):
            if isinstance(item, RowError):
                errors.append(item)
            else:
                rows.append(item)
        communes = _communes(source.name, rows, errors)
        cells, places = _cells(source.name, rows, communes, errors)
        if errors:
            raise ImportRejected(sorted(errors, key=lambda error: (error.line, error.field)))
        outcome = SgbvOutcome(file=source.name, rows_read=len(rows))
        outcome.sections_coarsened = sum(1 for row in rows if communes[row.line].from_section)
        with transaction.atomic():
            # The file's name often names the organisation that sent it, which GBVIMS keeps private:
            # the batch records a name made from the file's digest instead.
            digest = file_sha256(path)
            batch = ImportBatch.objects.create(kind=KIND, file_name=f"sgbv-{digest[:12]}.csv", sha256=digest, user=user)
            _replace(places, cells, batch, outcome)
            ImportBatch.objects.filter(pk=batch.pk).update(
                rows_read=outcome.rows_read,
                rows_created=outcome.cells_written,
                rows_updated=outcome.places_replaced,
                rows_unchanged=outcome.places_unchanged,
            )
            outcome.batch_id = batch.pk
    if outcome.sections_coarsened:
        outcome.notices.append(
            f"{outcome.sections_coarsened} row(s) given by section communale were added to their commune"
        )
    return outcome


def _communes(file: str, rows: list[SgbvRow], errors: list[RowError]) -> dict[int, _Commune]:
    """Each row's commune, by line; a P-code that is not a commune or a section is an error."""
    if rows and not AdminArea.objects.exists():
        reason = "no administrative areas are loaded; import them first (ulinzi import boundaries) to check communes"
        errors.append(RowError(file, 1, "pcode", reason))
        return {}
    areas = {
        pcode: (level, parent)
        for pcode, level, parent in AdminArea.objects.filter(pcode__in={row.pcode for row in rows}).values_list(
            "pcode", "level", "parent_pcode"
        )
    }
    found: dict[int, _Commune] = {}
    for row in rows:
        level, parent = areas.get(row.pcode, (None, ""))
        if level == COMMUNE_LEVEL:
            found[row.line] = _Commune(row.pcode, from_section=False)
        elif level == SECTION_LEVEL and parent:
            found[row.line] = _Commune(parent, from_section=True)
        else:
            errors.append(RowError(file, row.line, "pcode", _level_refusal(row.pcode, level)))
    return found


def _level_refusal(pcode: str, level: int | None) -> str:
    if level is None:
        return f"{pcode!r} is not a loaded area"
    if level < COMMUNE_LEVEL:
        return f"{pcode!r} is admin level {level}, coarser than a commune; counts are kept per commune (level 2)"
    return f"{pcode!r} is admin level {level}, finer than a section communale; give its commune's P-code"


def _cells(
    file: str, rows: list[SgbvRow], communes: dict[int, _Commune], errors: list[RowError]
) -> tuple[dict[Place, dict[Bands, int]], set[Place]]:
    """The file's cells by place, sections added into their commune, and every place it names."""
    cells: dict[Place, dict[Bands, int]] = defaultdict(lambda: defaultdict(int))
    places: set[Place] = set()
    first_line: dict[tuple[dt.date, str, Bands], int] = {}
    whole_or_sections: dict[Place, tuple[bool, int]] = {}
    for row in rows:
        commune = communes.get(row.line)
        if commune is None:
            continue
        key = (row.month, row.pcode, row.bands)
        if key in first_line:
            reason = f"the same month, P-code and bands as line {first_line[key]}"
            errors.append(RowError(file, row.line, "row", reason))
            continue
        first_line[key] = row.line
        place = (row.month, commune.pcode)
        given_as, line = whole_or_sections.setdefault(place, (commune.from_section, row.line))
        if given_as != commune.from_section:
            reason = (
                f"{commune.pcode} is given both whole and by section for {row.month:%Y-%m} (see line {line}); "
                "give one or the other, or its incidents would be counted twice"
            )
            errors.append(RowError(file, row.line, "pcode", reason))
            continue
        places.add(place)
        if row.count:
            cells[place][row.bands] += row.count
    return cells, places


def _replace(
    places: set[Place], cells: dict[Place, dict[Bands, int]], batch: ImportBatch, outcome: SgbvOutcome
) -> None:
    stored: dict[Place, dict[Bands, int]] = defaultdict(dict)
    months, communes = {month for month, _ in places}, {commune for _, commune in places}
    rows = SgbvCount.objects.filter(month__in=months, commune_pcode__in=communes).values_list(
        "month", "commune_pcode", "violence_type", "age_band", "sex_band", "perpetrator_type", "count"
    )
    for month, commune, violence_type, age_band, sex_band, perpetrator_type, count in rows:
        stored[(month, commune)][(violence_type, age_band, sex_band, perpetrator_type)] = count
    new_rows: list[SgbvCount] = []
    for place in sorted(places):
        wanted = dict(cells.get(place, {}))
        if stored.get(place, {}) == wanted:
            outcome.places_unchanged += 1
            continue
        month, commune = place
        outcome.cells_removed += SgbvCount.objects.filter(month=month, commune_pcode=commune).delete()[0]
        outcome.places_replaced += 1
        new_rows += [_row(place, bands, count, batch) for bands, count in sorted(wanted.items())]
    SgbvCount.objects.bulk_create(new_rows, batch_size=1000)
    outcome.cells_written = len(new_rows)


def _row(place: Place, bands: Bands, count: int, batch: ImportBatch) -> SgbvCount:
    violence_type, age_band, sex_band, perpetrator_type = bands
    month, commune = place
    return SgbvCount(
        month=month,
        commune_pcode=commune,
        violence_type=violence_type,
        age_band=age_band,
        sex_band=sex_band,
        perpetrator_type=perpetrator_type,
        count=count,
        batch=batch,
    )
