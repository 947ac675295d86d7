import pytest

from ulinzi import dbcompat


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
