"""GeoJSON track reader that holds one feature in memory at a time, not the whole file.

No streaming JSON parser is a dependency (ijson would be one more pin), and the standard
``json`` module decodes one value from a string. So the top-level object is walked by hand and
each member of ``features`` is decoded alone with ``raw_decode`` from a growing buffer: memory is
bounded by the largest feature (a LineString of a whole day is a few MB), capped at
``MAX_FEATURE_CHARS``. A file holding one huge feature should be split or sent as CSV.

Accepted features: Points with a ``time`` property; LineStrings and MultiLineStrings with
``coordinateProperties.times`` (or ``times``) holding one ISO 8601 time per vertex, the
convention of togeojson and most GPX converters. The device comes from a ``device`` property,
else the caller's default; other geometries (a planned area) are counted and skipped.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn, TextIO, TypeVar

from ulinzi.patrols.points import TrackPoint, accuracy, device_name, latitude, longitude, reject, utc_time

T = TypeVar("T")
BLOCK_CHARS = 1 << 16
MAX_FEATURE_CHARS = 256 << 20
LINE_TYPES = frozenset({"LineString", "MultiLineString"})
_SPACE = re.compile(r"[ \t\n\r]*")


class _Scanner:
    """A window over the text with the line number of its read position."""

    def __init__(self, handle: TextIO, name: str) -> None:
        self._handle = handle
        self.name = name
        self._buffer = ""
        self._pos = 0
        self._line = 1
        self._eof = False

    @property
    def line(self) -> int:
        return self._line

    def _advance(self, end: int) -> None:
        self._line += self._buffer.count("\n", self._pos, end)
        self._pos = end

    def _fill(self, at_least: int) -> bool:
        """Read more text; false at the end of the file."""
        if self._eof:
            return False
        if self._pos:
            self._buffer, self._pos = self._buffer[self._pos :], 0
        wanted = max(BLOCK_CHARS, at_least)
        chunk = self._handle.read(wanted)
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    def peek(self) -> str:
        """The next significant character ('' at the end of the file)."""
        while True:
            match = _SPACE.match(self._buffer, self._pos)
            assert match is not None
            self._advance(match.end())
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._fill(0):
                return ""

    def expect(self, allowed: str, field: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            found = repr(char) if char else "the end of the file"
            wanted = " or ".join(repr(c) for c in allowed)
            reject(self.name, self.line, field, f"not valid JSON: expected {wanted}, found {found}")
        self._advance(self._pos + 1)
        return char

    def value(self, field: str) -> Any:
        """Decode the next JSON value, reading on until it is complete."""
        self.peek()
        decoder = json.JSONDecoder()
        while True:
            try:
                value, end = decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                if self._grow():
                    continue
                error = _fresh(decoder, self._buffer, self._pos, error)  # the buffer may have moved
                line = self.line + self._buffer.count("\n", self._pos, error.pos)
                reject(self.name, line, field, f"not valid JSON ({error.msg})")
            # A number cut at the end of the buffer decodes "fine" but short: read on and retry.
            if end == len(self._buffer) and self._grow():
                continue
            self._advance(end)
            return value

    def _grow(self) -> bool:
        held = len(self._buffer) - self._pos
        if held > MAX_FEATURE_CHARS:
            reject(self.name, self.line, "feature", f"one value is longer than {MAX_FEATURE_CHARS >> 20} MiB")
        return self._fill(held)


def _fresh(decoder: json.JSONDecoder, text: str, pos: int, error: json.JSONDecodeError) -> json.JSONDecodeError:
    try:
        decoder.raw_decode(text, pos)
    except json.JSONDecodeError as again:
        return again
    return error


def read_geojson(handle: TextIO, name: str, default_device: str | None, skipped: Counter[str]) -> Iterator[TrackPoint]:
    scanner = _Scanner(handle, name)
    scanner.expect("{", "document")
    members: dict[str, Any] = {}
    streamed = False
    if scanner.peek() == "}":
        scanner.expect("}", "document")
    else:
        while True:
            key = scanner.value("document")
            if not isinstance(key, str):
                reject(name, scanner.line, "document", "not valid JSON: an object key is not a string")
            scanner.expect(":", key)
            if key == "features":
                streamed = True
                yield from _features(scanner, default_device, skipped)
            else:
                members[key] = scanner.value(key)
            if scanner.expect(",}", "document") == "}":
                break
    if scanner.peek():
        reject(name, scanner.line, "document", "not valid JSON: text after the top-level object")
    kind = members.get("type")
    if not streamed:
        if kind != "Feature":
            reject(name, 1, "type", f"expected a FeatureCollection or a Feature, found {str(kind)[:40]!r}")
        yield from _points(members, _Place(name, 1, "feature"), default_device, skipped)
    elif kind is not None and kind != "FeatureCollection":
        reject(name, 1, "type", f"a document with features must be a FeatureCollection, not {str(kind)[:40]!r}")


def _features(scanner: _Scanner, default_device: str | None, skipped: Counter[str]) -> Iterator[TrackPoint]:
    scanner.expect("[", "features")
    if scanner.peek() == "]":
        scanner.expect("]", "features")
        return
    index = 0
    while True:
        field = f"features[{index}]"
        scanner.peek()
        place = _Place(scanner.name, scanner.line, field)
        yield from _points(scanner.value(field), place, default_device, skipped)
        index += 1
        if scanner.expect(",]", "features") == "]":
            return


@dataclass(frozen=True)
class _Place:
    """Where a feature starts, so every problem in it names the file, the line and the member."""

    file: str
    line: int
    field: str

    def reject(self, member: str, reason: str) -> NoReturn:
        reject(self.file, self.line, f"{self.field}{member}", reason)

    def parse(self, member: str, parse: Callable[[Any], T], raw: Any) -> T:
        try:
            return parse(raw)
        except ValueError as error:
            self.reject(member, str(error))


def _points(feature: Any, place: _Place, default_device: str | None, skipped: Counter[str]) -> Iterator[TrackPoint]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        place.reject(".type", "expected a Feature object")
    properties = feature.get("properties") or {}
    geometry = feature.get("geometry")
    if not isinstance(properties, dict):
        place.reject(".properties", "expected an object")
    if not isinstance(geometry, dict):
        place.reject(".geometry", "expected a geometry object")
    kind = geometry.get("type")
    if kind != "Point" and kind not in LINE_TYPES:
        skipped[f"geojson {str(kind)[:20]} (not a track geometry)"] += 1
        return
    raw_device = properties.get("device", default_device)
    if raw_device is None:
        place.reject(".properties.device", "missing, and no default device was given")
    device = place.parse(".properties.device", device_name, raw_device)
    error_m = place.parse(".properties.accuracy", accuracy, properties.get("accuracy"))
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        time = place.parse(".properties.time", _time, properties.get("time"))
        lon, lat = _position(coordinates, place, ".geometry.coordinates")
        yield TrackPoint(time, lat, lon, device, error_m, place.line)
        return
    times, times_member = _times(properties, place)
    parts = [(coordinates, times, "")] if kind == "LineString" else _parts(coordinates, times, place, times_member)
    for vertices, part_times, suffix in parts:
        if not isinstance(vertices, list) or not isinstance(part_times, list) or len(vertices) != len(part_times):
            place.reject(f"{times_member}{suffix}", "needs exactly one time per coordinate")
        for i, (vertex, stamp) in enumerate(zip(vertices, part_times, strict=True)):
            lon, lat = _position(vertex, place, f".geometry.coordinates{suffix}[{i}]")
            time = place.parse(f"{times_member}{suffix}[{i}]", _time, stamp)
            yield TrackPoint(time, lat, lon, device, error_m, place.line)


def _parts(coordinates: Any, times: Any, place: _Place, times_member: str) -> list[tuple[Any, Any, str]]:
    if not isinstance(coordinates, list) or not isinstance(times, list) or len(coordinates) != len(times):
        place.reject(times_member, "needs one list of times per line of the MultiLineString")
    return [(part, stamps, f"[{i}]") for i, (part, stamps) in enumerate(zip(coordinates, times, strict=True))]


def _time(raw: Any) -> datetime:
    if raw is None:
        raise ValueError("missing")
    if not isinstance(raw, str):
        raise ValueError(f"{str(raw)[:40]!r} is not an ISO 8601 time string")
    return utc_time(raw)


def _times(properties: dict[str, Any], place: _Place) -> tuple[Any, str]:
    nested = properties.get("coordinateProperties")
    if isinstance(nested, dict) and "times" in nested:
        return nested["times"], ".properties.coordinateProperties.times"
    if "times" in properties:
        return properties["times"], ".properties.times"
    place.reject(".properties.coordinateProperties.times", "missing: a line needs one time per vertex")


def _position(raw: Any, place: _Place, member: str) -> tuple[float, float]:
    if not isinstance(raw, list) or len(raw) < 2:
        place.reject(member, "expected [longitude, latitude]")
    return place.parse(f"{member}[0]", longitude, raw[0]), place.parse(f"{member}[1]", latitude, raw[1])
