"""Typed readers for ``ULINZI_*`` environment variables.

Each reader refuses a malformed value with the variable's name and what it accepts, so a typo
stops start-up instead of silently falling back to a default (docs/configuration.md lists them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class ConfigurationError(ValueError):
    """A ``ULINZI_*`` variable holds a value Ulinzi cannot use."""


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_optional(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    return _raw(name, environ)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    allowed = ", ".join(sorted(TRUE_WORDS | FALSE_WORDS))
    raise ConfigurationError(f"{name}={value!r} is not a yes/no value; use one of: {allowed}")


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{name}={value!r} is not a whole number") from None
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"{name}={number} is below the minimum {minimum}")
    if maximum is not None and number > maximum:
        raise ConfigurationError(f"{name}={number} is above the maximum {maximum}")
    return number


def env_choice(name: str, default: str, choices: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    if value is None:
        return default
    if value not in choices:
        raise ConfigurationError(f"{name}={value!r} is not allowed; use one of: {', '.join(choices)}")
    return value


def env_list(name: str, default: Sequence[str], environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: Path, environ: Mapping[str, str] | None = None) -> Path:
    value = _raw(name, environ)
    return (default if value is None else Path(value)).expanduser().resolve()


def env_tile_url(name: str, environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """An XYZ tile URL template and the origin the page must be allowed to load images from, or
    None when unset (the default: maps draw our own boundaries and roads, nothing else).

    >>> env_tile_url("T", {"T": "https://tiles.example.org/{z}/{x}/{y}.png"})
    ('https://tiles.example.org/{z}/{x}/{y}.png', 'https://tiles.example.org')
    """
    value = _raw(name, environ)
    if value is None:
        return None
    scheme, separator, rest = value.partition("://")
    host = rest.split("/", 1)[0]
    if scheme != "https" or not separator or not host or any(c in host for c in "{}@ "):
        raise ConfigurationError(f"{name}={value!r} must be an https:// URL whose host is written out")
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in rest]
    if missing:
        raise ConfigurationError(f"{name}={value!r} lacks {', '.join(missing)}: it must be an XYZ tile template")
    return value, f"https://{host}"
