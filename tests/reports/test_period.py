"""Reading the report's month: what is accepted, and the words a refusal uses."""

from datetime import date

import pytest

from ulinzi.reports.period import BadPeriod, Month, parse_month, spoken


def test_a_month_runs_from_its_first_to_its_last_day():
    month = parse_month("2024-02")
    assert (month.first, month.last, month.code, month.name) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
        "2024-02",
        "February 2024",
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2025-1", "is not a month; write YYYY-MM"),
        ("January 2025", "is not a month"),
        ("2025-13", "has no month 13"),
        ("2025-00", "has no month 0"),
        ("0202-01", "is before 1990"),
        ("２０２５-01", "is not a month"),
        ("", "is not a month"),
    ],
)
def test_anything_else_is_refused_with_what_to_write(text, words):
    with pytest.raises(BadPeriod, match=words):
        parse_month(text)


def test_a_month_not_yet_begun_is_refused_and_the_current_one_ends_today():
    with pytest.raises(BadPeriod, match="has not begun"):
        parse_month("2025-02", today=date(2025, 1, 31))
    current = parse_month(" 2025-01 ", today=date(2025, 1, 20))
    assert current.until(date(2025, 1, 20)) == date(2025, 1, 20)
    assert not current.is_complete(date(2025, 1, 20))
    assert Month(2024, 12).until(date(2025, 1, 20)) == date(2024, 12, 31)


def test_dates_are_written_in_words_whatever_the_locale():
    assert spoken(date(2025, 1, 3)) == "3 January 2025"
