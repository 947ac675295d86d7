"""Cell parsers shared by importers; each raises ValueError with a reason a user can act on."""

from __future__ import annotations

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
