"""Sensitive text encrypted at rest, under keys kept outside the database.

A stolen database file or backup (threat T10 in docs/security.md) must not give away what field
reports say about people. Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) seals each
value with a fresh IV, so equal texts differ on disk. The keys live in a file of their own
(``ULINZI_FIELD_KEY_FILE``, by default ``var/field_keys``, mode 0600), which an operator keeps
on another volume than the database and its backups: the first key encrypts, every key listed
decrypts, so a new key is added at the top and old values stay readable until re-encrypted
(``ulinzi manage rotate_field_keys`` re-seals them under the first key).

An encrypted column cannot be searched or filtered by its content; only empty or not.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class UnreadableField(ValueError):
    """A stored value none of the keys opens: a wrong key file, or a value written around us."""


def create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(Fernet.generate_key().decode() + "\n")


def keys_from(path: Path) -> MultiFernet:
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        raise UnreadableField(f"{path} holds no key")
    return MultiFernet([Fernet(line.encode()) for line in lines])


@functools.cache
def _keys(path: str) -> MultiFernet:
    key_file = Path(path)
    if not key_file.exists():
        create_key_file(key_file)
    return keys_from(key_file)


def field_keys() -> MultiFernet:
    return _keys(str(settings.FIELD_KEY_FILE))


def seal(text: str) -> str:
    return field_keys().encrypt(text.encode()).decode("ascii")


def unseal(token: str) -> str:
    try:
        return field_keys().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as error:
        raise UnreadableField("an encrypted field could not be opened with the configured keys") from error


def reseal(token: str) -> str:
    """The value under the first key, for rotation."""
    return field_keys().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField[Any, Any]):
    """Text stored sealed; an empty value stays empty, so "no notes" needs no key."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return seal(str(value))

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        if value is None or value == "":
            return value
        return unseal(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ("isnull", "exact"):
            return None  # a search inside ciphertext would silently find nothing
        return super().get_lookup(lookup_name)


class EncryptedJSONField(models.Field[Any, Any]):
    """A JSON document stored sealed (merged source rows keep their notes, so they are sealed too)."""

    def get_internal_type(self) -> str:
        return "TextField"

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return seal(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def from_db_value(self, value: str | None, expression: object, connection: object) -> Any:
        if value is None:
            return None
        return json.loads(unseal(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value)
        return value

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, sort_keys=True)

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None


def seal_column(schema_editor: Any, table: str, column: str, *, undo: bool = False) -> None:
    """Seal (or, with ``undo``, open) every non-empty value of a column in place, for the migration
    that makes a column encrypted; raw SQL, because the field itself expects sealed values."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    change = unseal if undo else seal
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")  # noqa: S608  names are the migration's own
        rows = [(change(str(value)), pk) for pk, value in cursor.fetchall() if value is not None]
        cursor.executemany(f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s", rows)  # noqa: S608
