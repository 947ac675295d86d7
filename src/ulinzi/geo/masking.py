"""Displaced points for readers who may know that an incident happened, not exactly where.

Survey practice (DHS displacement) moves each point a random distance in a random direction and
keeps it in the same administrative area. Two choices make that safe to serve again and again:

- **Deterministic per record.** Direction and distance come from a keyed hash (BLAKE2b, a
  pseudo-random function) of the record's stable key (its natural key) under a server secret,
  so the same record is always shown at the same displaced point: asking a hundred times and
  averaging reveals nothing more than asking once.
- **A donut, not a disc.** The distance is at least ``min_m``, so a displaced point is never
  (by chance) the true one.

A candidate that lands in another area is replaced by the next candidate of the same sequence;
when none of ``attempts`` candidates stays inside (a very small area), the point goes to a
representative point of its area instead. Framework-free and vectorised over numpy arrays: the
importer masks every point of a batch in one call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

METRES_PER_DEGREE = 111_320.0

Floats = npt.NDArray[np.float64]
AreaOf = Callable[[Floats, Floats], Sequence[str]]  # longitudes, latitudes -> finest area code ("" outside)


@dataclass(frozen=True)
class Donut:
    min_m: float = 500.0
    max_m: float = 2_000.0
    attempts: int = 12


def _draws(secret: bytes, record_keys: Sequence[str], attempt: int) -> tuple[Floats, Floats]:
    """Two numbers in [0, 1) per record for one attempt: keyed BLAKE2b (a pseudo-random function,
    like HMAC, and several times faster in CPython) of the record's key and the attempt."""
    key = hashlib.blake2b(secret, digest_size=32).digest()
    raw = b"".join(
        hashlib.blake2b(f"{record_key}:{attempt}".encode(), key=key, digest_size=16).digest()
        for record_key in record_keys
    )
    halves = np.frombuffer(raw, dtype=">u8").reshape(-1, 2).astype(np.float64) / 2.0**64
    return halves[:, 0], halves[:, 1]


def offsets(
    secret: bytes, record_keys: Sequence[str], attempt: int, lats: Floats, donut: Donut
) -> tuple[Floats, Floats]:
    """Displacements (degrees of longitude, latitude) of one candidate per record, uniform over
    the donut's area."""
    turn, spread = _draws(secret, record_keys, attempt)
    inner, outer = donut.min_m**2, donut.max_m**2
    metres = np.sqrt(inner + spread * (outer - inner))
    angle = 2 * np.pi * turn
    shrink = np.maximum(np.cos(np.radians(lats)), 1e-6)
    return metres * np.sin(angle) / (METRES_PER_DEGREE * shrink), metres * np.cos(angle) / METRES_PER_DEGREE


def mask_points(
    secret: bytes,
    record_keys: Sequence[str],
    lons: Floats,
    lats: Floats,
    *,
    area_of: AreaOf,
    representative: Callable[[str], tuple[float, float] | None],
    donut: Donut = Donut(),
) -> tuple[Floats, Floats]:
    """The displaced longitudes and latitudes of many points, each inside its own area.

    A point outside every loaded area keeps its first candidate (nothing to stay within).
    """
    home = np.array(area_of(lons, lats), dtype=object)
    out_lons, out_lats = np.array(lons, dtype=np.float64), np.array(lats, dtype=np.float64)
    pending = np.arange(len(record_keys))
    first: tuple[Floats, Floats] | None = None
    for attempt in range(donut.attempts):
        if not pending.size:
            break
        keys = [record_keys[int(i)] for i in pending]
        east, north = offsets(secret, keys, attempt, lats[pending], donut)
        cand_lons, cand_lats = lons[pending] + east, lats[pending] + north
        if attempt == 0:
            first = (cand_lons.copy(), cand_lats.copy())
        landed = np.array(area_of(cand_lons, cand_lats), dtype=object)
        stays = (landed == home[pending]) | ((home[pending] == "") & (attempt == 0))
        out_lons[pending[stays]], out_lats[pending[stays]] = cand_lons[stays], cand_lats[stays]
        pending = pending[~stays]
    for i in pending:
        fallback = representative(str(home[i]))
        if fallback is None:  # no geometry to stay within: the first candidate, never the true point
            assert first is not None
            fallback = (float(first[0][i]), float(first[1][i]))
        out_lons[i], out_lats[i] = fallback
    return out_lons, out_lats
