from datetime import date

import pytest

from ulinzi import dbcompat
from ulinzi.sources.models import Source


def test_database_urls_get_our_engine_options():
    sqlite = dbcompat.database_config("sqlite:////srv/ulinzi/x.sqlite3")
    assert "synchronous=FULL" in sqlite["OPTIONS"]["init_command"]
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    postgres = dbcompat.database_config("postgres://u@127.0.0.1:5432/db")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"


def test_other_engines_are_refused():
    with pytest.raises(ValueError, match="unsupported database engine"):
        dbcompat.database_config("mysql://u@localhost/db")


@pytest.mark.django_db
def test_the_test_database_is_configured_durably():
    assert dbcompat.durability_problems() == []


@pytest.mark.django_db
def test_insert_rows_writes_plain_values_including_dates():
    dbcompat.insert_rows(
        Source,
        ("reference", "publisher", "note", "published_on", "reliability", "credibility"),
        [("ref-1", "Pub", "", date(2024, 6, 25), "F", 6), ("ref-2", "", "", None, "B", 2)],
    )
    stored = {s.reference: (s.published_on, s.credibility) for s in Source.objects.all()}
    assert stored == {"ref-1": (date(2024, 6, 25), 6), "ref-2": (None, 2)}
    dbcompat.insert_rows(Source, ("reference",), [])
