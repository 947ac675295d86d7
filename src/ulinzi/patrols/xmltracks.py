"""GPX and Cursor-on-Target track readers: streaming, and safe against hostile XML.

Why not gpxpy for reading: ``gpxpy.parse`` reads the whole document into a string and builds
an object tree (a million-point track needs gigabytes), and it parses with lxml whenever lxml is
installed, as it is here, bypassing defusedxml. So both formats go through defusedxml's SAX
driver over pyexpat, fed in 64 KB blocks: memory stays flat, the locator gives the line of every
problem, and a document type declaration (the carrier of entity bombs and external entities) is
refused outright, as ASVS 5.0 1.5.1 asks.

Cursor-on-Target arrives as a stream of ``<event>`` documents, each possibly with its own XML
declaration; they are read as children of one synthetic root with the declarations dropped
(replaced by their newlines, so line numbers still match the file).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.expatreader import DefusedExpatParser

from ulinzi.patrols.points import TrackPoint, accuracy, device_name, latitude, longitude, reject, utc_time

BLOCK_BYTES = 1 << 16
GPX_VERSIONS = frozenset({"1.0", "1.1"})
FRIENDLY_PREFIX = "a-f-"
UNKNOWN_CE = 9_999_999.0  # CoT's "circular error unknown"
MAX_TEXT_CHARS = 1_000  # a <time> or <name> longer than this is not a time or a name
_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")


class _Stop(Exception):
    """Carries the one rejection out of expat's callbacks with the line where it happened."""

    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.line, self.field, self.reason = line, field, reason


class _Handler(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.points: list[TrackPoint] = []
        self.skipped: Counter[str] = Counter()
        self._locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 (SAX's name)
        self._locator = locator

    @property
    def line(self) -> int:
        return (self._locator.getLineNumber() or 0) if self._locator is not None else 0

    def stop(self, field: str, reason: str) -> _Stop:
        return _Stop(self.line, field, reason)


class _GpxHandler(_Handler):
    """Track points (``trk/trkseg/trkpt``); waypoints and route points are plans, counted and skipped."""

    def __init__(self, default_device: str | None) -> None:
        super().__init__()
        self._default = default_device
        self._depth = 0
        self._track_depth = 0  # depth of the open <trk>, 0 outside one
        self._track_name: str | None = None
        self._point_depth = 0  # depth of the open <trkpt>, 0 outside one
        self._point: tuple[int, str, str] = (0, "", "")  # line, lat, lon of the open trkpt
        self._time = ""
        self._text: list[str] | None = None

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802 (SAX's name)
        self._depth += 1
        local = name.rpartition(":")[2]
        if self._depth == 1:
            if local != "gpx":
                raise self.stop("gpx", f"the root element is <{local}>, expected <gpx>")
            version = attrs.get("version")
            if version is not None and version not in GPX_VERSIONS:
                raise self.stop("gpx@version", f"{version[:20]!r} is not GPX 1.0 or 1.1")
        elif self._point_depth:
            if local == "time" and self._depth == self._point_depth + 1:
                self._text = []
        elif local == "trkpt" and self._track_depth:
            self._point_depth, self._point, self._time = (
                self._depth,
                (self.line, attrs.get("lat", ""), attrs.get("lon", "")),
                "",
            )
        elif local == "trk":
            self._track_depth, self._track_name = self._depth, None
        elif local == "name" and self._track_depth and self._depth == self._track_depth + 1:
            self._text = []
        elif local in ("wpt", "rtept"):
            self.skipped[f"gpx {local} (a plan, not a track)"] += 1

    def characters(self, content: str) -> None:
        if self._text is not None:
            self._text.append(content)
            if len(self._text) > 1 and sum(len(part) for part in self._text) > MAX_TEXT_CHARS:
                raise self.stop("text", f"an element's text is longer than {MAX_TEXT_CHARS} characters")

    def endElement(self, name: str) -> None:  # noqa: N802 (SAX's name)
        depth = self._depth
        self._depth -= 1
        if self._text is not None:
            text, self._text = "".join(self._text), None
            if self._point_depth:
                self._time = text
            else:
                self._track_name = text.strip() or None
        elif depth == self._point_depth:
            self._point_depth = 0
            self._finish_point()
        elif depth == self._track_depth:
            self._track_depth = 0

    def _finish_point(self) -> None:
        line, lat_text, lon_text = self._point
        try:
            lat = latitude(lat_text)
        except ValueError as error:
            raise _Stop(line, "trkpt@lat", str(error)) from None
        try:
            lon = longitude(lon_text)
        except ValueError as error:
            raise _Stop(line, "trkpt@lon", str(error)) from None
        try:
            time = utc_time(self._time, naive_is_utc=True)  # GPX times are UTC by definition
        except ValueError as error:
            raise _Stop(line, "trkpt/time", str(error)) from None
        device = self._default or self._track_name
        if device is None:
            raise _Stop(line, "trk/name", "no device: the track has no <name> and no default device was given")
        try:
            device = device_name(device)
        except ValueError as error:
            raise _Stop(line, "trk/name", str(error)) from None
        self.points.append(TrackPoint(time, lat, lon, device, None, line))


class _CotHandler(_Handler):
    """Friendly position reports (type ``a-f-*``); every other event is counted and skipped."""

    def __init__(self) -> None:
        super().__init__()
        self._event: tuple[int, str, str, str] | None = None  # line, uid, type, time
        self._point_seen = False
        self._depth = 0

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802 (SAX's name)
        self._depth += 1
        if self._depth == 2:
            if name != "event":
                raise self.stop(name, f"expected <event>, found <{name}>")
            kind = attrs.get("type", "")
            self._event = (self.line, attrs.get("uid", ""), kind, attrs.get("time") or attrs.get("start") or "")
            self._point_seen = False
        elif self._depth == 3 and name == "point" and self._event is not None:
            self._point_seen = True
            if self._event[2].startswith(FRIENDLY_PREFIX):
                self._take(attrs)

    def endElement(self, name: str) -> None:  # noqa: N802 (SAX's name)
        if self._depth == 2 and self._event is not None:
            line, _uid, kind, _time = self._event
            if not kind.startswith(FRIENDLY_PREFIX):
                family = "-".join(kind.split("-")[:2])[:12] or "missing"
                self.skipped[f"cot type {family}-* (not a friendly position)"] += 1
            elif not self._point_seen:
                raise _Stop(line, "event/point", "a friendly event without a <point>")
            self._event = None
        self._depth -= 1

    def _take(self, attrs: AttributesImpl) -> None:
        assert self._event is not None
        line, uid, _kind, time_text = self._event
        try:
            device = device_name(uid)
        except ValueError as error:
            raise _Stop(line, "event@uid", str(error)) from None
        try:
            time = utc_time(time_text)
        except ValueError as error:
            raise _Stop(line, "event@time", str(error)) from None
        point_line = self.line
        try:
            lat = latitude(attrs.get("lat", ""))
        except ValueError as error:
            raise _Stop(point_line, "point@lat", str(error)) from None
        try:
            lon = longitude(attrs.get("lon", ""))
        except ValueError as error:
            raise _Stop(point_line, "point@lon", str(error)) from None
        try:
            error_m = accuracy(attrs.get("ce"))
        except ValueError as error:
            raise _Stop(point_line, "point@ce", str(error)) from None
        if error_m is not None and error_m >= UNKNOWN_CE:
            error_m = None
        self.points.append(TrackPoint(time, lat, lon, device, error_m, line))


def read_gpx(handle: BinaryIO, name: str, default_device: str | None, skipped: Counter[str]) -> Iterator[TrackPoint]:
    return _parse(handle, name, _GpxHandler(default_device), skipped, wrap=False)


def read_cot(handle: BinaryIO, name: str, skipped: Counter[str]) -> Iterator[TrackPoint]:
    return _parse(handle, name, _CotHandler(), skipped, wrap=True)


def _parse(
    handle: BinaryIO, name: str, handler: _Handler, skipped: Counter[str], *, wrap: bool
) -> Iterator[TrackPoint]:
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(handler)
    handler.setDocumentLocator(parser)  # SAX sets it only in parse(), not when fed incrementally
    blocks = _without_declarations(handle) if wrap else iter(lambda: handle.read(BLOCK_BYTES), b"")
    try:
        if wrap:
            parser.feed(b"<cot-stream>")
        for block in blocks:
            parser.feed(block)
            yield from _drain(handler, skipped)
        if wrap:
            parser.feed(b"</cot-stream>")
        parser.close()
        yield from _drain(handler, skipped)
    except _Stop as stop:
        reject(name, stop.line, stop.field, stop.reason)
    except SAXParseException as error:
        reject(name, error.getLineNumber() or 0, "xml", f"not well-formed XML ({error.getMessage()})")
    except DefusedXmlException as error:
        reject(name, handler.line, "xml", _refusal(error))


def _drain(handler: _Handler, skipped: Counter[str]) -> Iterator[TrackPoint]:
    points, handler.points = handler.points, []
    skipped.update(handler.skipped)
    handler.skipped.clear()
    yield from points


def _refusal(error: DefusedXmlException) -> str:
    if isinstance(error, DTDForbidden):
        return "a document type declaration (DTD) is refused: it can define entity bombs or fetch external files"
    if isinstance(error, EntitiesForbidden):
        return "entity declarations are refused (entity expansion)"
    if isinstance(error, ExternalReferenceForbidden):
        return "references to external entities are refused"
    return f"refused ({type(error).__name__})"


def _without_declarations(handle: BinaryIO) -> Iterator[bytes]:
    """Blocks of a CoT stream with every ``<?xml ...?>`` removed; a tag cut at a block's end is
    held back until its ``>`` arrives, so a declaration is never split in two."""
    pending = b""
    first = True
    while True:
        block = handle.read(BLOCK_BYTES)
        if first:
            block, first = block.removeprefix(b"\xef\xbb\xbf"), False
        data, pending = pending + block, b""
        if block:
            cut = data.rfind(b"<")
            if cut != -1 and data.find(b">", cut) == -1 and len(data) - cut < BLOCK_BYTES:
                data, pending = data[:cut], data[cut:]
        if data:
            yield _DECLARATION.sub(lambda match: b"\n" * match.group().count(b"\n"), data)
        if not block:
            return
