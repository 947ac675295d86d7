"""Cell parsers shared by importers; each raises ValueError with a reason a user can act on."""

from __future__ import annotations

import re
from collections.abc import Callable


def coordinate(limit: float) -> Callable[[str], float]:
    """A parser of a number within ±limit (90 for latitude, 180 for longitude); NaN is refused.

    >>> coordinate(90)("18.5"), coordinate(90)("-90")
    (18.5, -90.0)
    """

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not -limit <= value <= limit:  # NaN fails too
            raise ValueError(f"{text!r} is outside ±{limit:g}")
        return value

    return parse


def whole_number(low: int, high: int, default: int | None = None) -> Callable[[str], int]:
    """A parser of a whole number within [low, high]; an empty cell gives ``default`` when there is one.

    >>> whole_number(1, 3, default=1)(""), whole_number(0, 10)("7")
    (1, 7)
    """

    def parse(text: str) -> int:
        cleaned = text.strip()
        if not cleaned and default is not None:
            return default
        if not re.fullmatch(r"[0-9]+", cleaned):
            raise ValueError(f"{text!r} is not a whole number")
        if len(cleaned.lstrip("0")) > len(str(high)):  # int() stops at 4,300 digits, naming interpreter limits
            raise ValueError(f"{text!r} is outside {low}-{high}")
        value = int(cleaned)
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}-{high}")
        return value

    return parse
