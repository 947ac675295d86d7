from datetime import date

import pytest

from ulinzi.forces.importers.strength.records import (
    instrument_from,
    parse_count,
    parse_country,
    parse_date,
    parse_sources,
    parse_yes_no,
)


def test_dates_must_be_iso_days():
    assert parse_date("2024-06-25") == date(2024, 6, 25)
    for bad in ("2024-13-01", "25/06/2024", "2024-02-30", "June 2024"):
        with pytest.raises(ValueError, match="not a valid date"):
            parse_date(bad)


def test_counts_accept_thousands_separators_and_refuse_negatives():
    assert parse_count("1,000") == 1000
    with pytest.raises(ValueError, match="negative"):
        parse_count("-5")
    with pytest.raises(ValueError, match="not a whole number"):
        parse_count("about 200")


def test_countries_resolve_from_codes_and_names():
    assert parse_country("KE").name == "Kenya"
    assert parse_country("Bahamas").iso2 == "BS"
    assert parse_country("SLV").iso2 == "SV"
    with pytest.raises(ValueError, match="not a country"):
        parse_country("Atlantis")


def test_every_record_needs_a_source():
    with pytest.raises(ValueError, match="at least one source"):
        parse_sources("  ")


def test_yes_no_is_strict():
    assert parse_yes_no("") is None
    assert parse_yes_no("Yes") is True
    with pytest.raises(ValueError, match="not yes or no"):
        parse_yes_no("maybe")


def test_the_instrument_comes_from_a_resolution_number():
    assert instrument_from("UN Security Council resolution 2699 authorises") == "resolution 2699"
    assert instrument_from("renewed for a year") == ""
