"""The OWASP ASVS 5.0 checklist (docs/security/asvs.md) stays true to its rows and to the suite.

Pure file parsing, no database: every row's status is one of four words, every test it names
exists, a ``covered`` row names one, identifiers are well formed, unique and in their chapter,
the rows are the standard's 70 level-1 and 183 level-2 requirements, and the summary table and
headline figures equal what the rows add up to.
"""

from __future__ import annotations

import ast
import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKLIST = ROOT / "docs" / "security" / "asvs.md"

STATUSES = ("covered", "partly", "not yet", "N/A")
ROW_HEADER = "| ID | level | requirement (paraphrase) | status | evidence |"
SUMMARY_HEADER = "| chapter | L1+L2 | N/A | applicable | covered | partly | not yet |"
CHAPTER_HEADING = re.compile(r"## V(\d+) ")
LEVEL_3_HEADING = "## Mandatory level-3 items"
IDENTIFIER = re.compile(r"v5\.0\.0-(\d+\.\d+\.\d+)")
TEST_REFERENCE = re.compile(r"tests/[\w/]+\.py::\w+")
HEADLINE = re.compile(r"\*\*Today: (\d+) covered of (\d+) applicable\*\* \((\d+) partly, (\d+) not yet\)")
LEVEL_3_LINE = re.compile(r"\*\*(\d+): (\d+) covered, (\d+) partly, (\d+) not yet, (\d+) N/A\*\*")

# ASVS 5.0.0: 17 chapters; 70 requirements at level 1 and 183 at level 2.
CHAPTERS = 17
PER_LEVEL = {1: 70, 2: 183}
# The level-3 items the security notes (§1.1) make mandatory; for 16.3.2, its level-3 clause.
MANDATORY_LEVEL_3 = {"4.1.4", "6.3.8", "7.5.3", "8.3.2", "14.2.6", "14.2.7", "14.2.8", "16.3.2"}

LEVEL_3 = 0  # the section of the mandatory level-3 rows


@dataclass(frozen=True)
class Row:
    """One table row: its section (a chapter number, or LEVEL_3) and its five cells."""

    section: int
    line: int
    identifier: str
    level: str
    requirement: str
    status: str
    evidence: str

    @property
    def number(self) -> str:
        """``8.2.2`` for ``v5.0.0-8.2.2``, or the cell as written when it is malformed."""
        found = IDENTIFIER.fullmatch(self.identifier)
        return found.group(1) if found else self.identifier

    @property
    def tests(self) -> list[str]:
        return TEST_REFERENCE.findall(self.evidence)

    def __str__(self) -> str:
        return f"asvs.md:{self.line} {self.identifier}"


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


@functools.cache
def lines() -> tuple[str, ...]:
    return tuple(CHECKLIST.read_text(encoding="utf-8").splitlines())


@functools.cache
def rows() -> tuple[Row, ...]:
    """Every row of every requirement table, with the section it sits in."""
    found: list[Row] = []
    section: int | None = None
    in_table = False
    for number, line in enumerate(lines(), start=1):
        heading = CHAPTER_HEADING.match(line)
        if heading:
            section = int(heading.group(1))
        elif line.startswith(LEVEL_3_HEADING):
            section = LEVEL_3
        elif line.startswith("## "):
            section = None
        if line == ROW_HEADER:
            assert section is not None, f"asvs.md:{number}: a requirement table outside a chapter section"
            in_table = True
        elif in_table and line.startswith("|") and not line.startswith("|---"):
            row = cells(line)
            assert len(row) == 5, f"asvs.md:{number}: {len(row)} cells instead of 5"
            assert section is not None
            found.append(Row(section, number, *row))
        elif not line.startswith("|"):
            in_table = False
    return tuple(found)


def chapter_rows() -> list[Row]:
    return [row for row in rows() if row.section != LEVEL_3]


def level_3_rows() -> list[Row]:
    return [row for row in rows() if row.section == LEVEL_3]


def summary_table() -> dict[str, list[int]]:
    """The summary's figures by row label: ``V1`` … ``V17`` and ``total``."""
    start = lines().index(SUMMARY_HEADER)
    table: dict[str, list[int]] = {}
    for line in lines()[start + 2 :]:
        if not line.startswith("|"):
            break
        label, *figures = cells(line)
        chapter = re.match(r"V(\d+) ", label)
        table[f"V{chapter.group(1)}" if chapter else label.strip("*")] = [int(figure) for figure in figures]
    return table


def figures(selected: list[Row]) -> list[int]:
    """L1+L2, N/A, applicable, covered, partly, not yet: the summary's columns."""
    counts = Counter(row.status for row in selected)
    total = len(selected)
    return [total, counts["N/A"], total - counts["N/A"], counts["covered"], counts["partly"], counts["not yet"]]


@functools.cache
def functions_in(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))


def test_the_checklist_has_every_chapter_and_the_level_3_section() -> None:
    assert {row.section for row in chapter_rows()} == set(range(1, CHAPTERS + 1))
    assert level_3_rows(), f"no rows under {LEVEL_3_HEADING!r}"


def test_every_status_is_an_allowed_word_with_a_reason() -> None:
    wrong = [f"{row}: status {row.status!r}" for row in rows() if row.status not in STATUSES]
    bare = [f"{row}: no evidence or reason" for row in rows() if not row.evidence or not row.requirement]
    assert wrong + bare == [], f"allowed statuses: {', '.join(STATUSES)}\n" + "\n".join(wrong + bare)


def test_identifiers_are_well_formed_unique_and_in_their_chapter() -> None:
    malformed = [str(row) for row in rows() if not IDENTIFIER.fullmatch(row.identifier)]
    assert malformed == [], "identifiers are written v5.0.0-X.Y.Z: " + ", ".join(malformed)
    elsewhere = [str(row) for row in chapter_rows() if int(row.number.split(".")[0]) != row.section]
    assert elsewhere == [], "rows outside their chapter's section: " + ", ".join(elsewhere)
    for selected in (chapter_rows(), level_3_rows()):
        repeated = [number for number, times in Counter(row.number for row in selected).items() if times > 1]
        assert repeated == [], f"listed more than once: {repeated}"


def test_the_rows_are_the_standards_level_1_and_2_requirements_and_the_mandatory_level_3() -> None:
    levels = Counter(row.level for row in chapter_rows())
    assert levels == Counter({str(level): count for level, count in PER_LEVEL.items()})
    assert {row.number for row in level_3_rows()} == MANDATORY_LEVEL_3
    assert {row.level for row in level_3_rows()} == {"3"}


def test_every_covered_row_names_a_test() -> None:
    untested = [str(row) for row in rows() if row.status == "covered" and not row.tests]
    assert untested == [], "covered without a tests/...py::test_name: " + ", ".join(untested)


def test_every_named_test_exists() -> None:
    missing = []
    for row in rows():
        for reference in row.tests:
            path, name = reference.split("::")
            if not (ROOT / path).is_file():
                missing.append(f"{row}: {path} does not exist")
            elif name not in functions_in(ROOT / path):
                missing.append(f"{row}: {path} defines no {name}")
    assert missing == [], "\n".join(missing)


def test_the_summary_and_headline_equal_the_rows(capsys: pytest.CaptureFixture[str]) -> None:
    table = summary_table()
    for chapter in range(1, CHAPTERS + 1):
        selected = [row for row in chapter_rows() if row.section == chapter]
        assert table.get(f"V{chapter}") == figures(selected), f"summary row V{chapter}"
    total = figures(chapter_rows())
    assert table.get("total") == total, "summary row total"
    counted, _, applicable, covered, partly, not_yet = total
    headline = HEADLINE.search("\n".join(lines()).replace("\n", " "))
    assert headline is not None, "the '**Today: C covered of A applicable** (P partly, X not yet)' line is missing"
    assert [int(figure) for figure in headline.groups()] == [covered, applicable, partly, not_yet]
    level_3 = Counter(row.status for row in level_3_rows())
    stated = LEVEL_3_LINE.search("\n".join(lines()))
    assert stated is not None, "the mandatory level-3 figures line is missing"
    expected = [len(level_3_rows()), level_3["covered"], level_3["partly"], level_3["not yet"], level_3["N/A"]]
    assert [int(figure) for figure in stated.groups()] == expected
    with capsys.disabled():
        print(  # noqa: T201  the figures, as the access table prints its own
            f"\nasvs: {applicable} applicable of {counted} L1+L2, {covered} covered, {partly} partly, {not_yet} not yet"
        )
