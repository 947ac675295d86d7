"""Every operation of the API's own OpenAPI document, fuzzed as three callers (security note R-02).

Schemathesis reads ``/api/openapi.json`` from the WSGI application in this process and generates
requests that fit the schema (positive) and requests that break it (negative). Each request runs
inside a savepoint rolled back afterwards, so writes (POST, PATCH) never leak into the next case.

It is driven from ordinary test functions rather than its pytest plugin, so pytest-django's
database fixtures, the suite's warning filters and the savepoint per request all apply as usual.

What must hold for every caller: no server error, and no body that shows internals (a traceback,
a driver name, SQL). For the anonymous caller: every answer a refusal, never a 2xx with data.
"""

from __future__ import annotations

import copy
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, BaseSchema, Case, GenerationMode
from schemathesis.core.result import Err

from ulinzi.accounts.services import issue_token
from ulinzi.forces.importers.strength.importer import import_strength
from ulinzi.geo.importers.control.importer import import_control
from ulinzi.geo.importers.gazetteer.importer import import_gazetteer
from ulinzi.geo.importers.roads.importer import import_roads
from ulinzi.geo.models import ControlArea, RoadSegment
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.importers.actors.importer import import_actors
from ulinzi.incidents.importers.ucdp.importer import import_ucdp
from ulinzi.incidents.models import EventReport

pytestmark = pytest.mark.django_db

Operation = APIOperation[Any, Any, Any, Any]
AnyCase = Case[Any]

EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 5}
NUL_TEXT = "x\x00y"
NUL_BASE_CASES = 2  # generated cases whose parameters and text fields each get a NUL in turn
MAX_NUL_FIELDS = 12
REFUSALS = frozenset({401, 403, 405})
# What a body must never show: a Python traceback, a database driver, SQL.
LEAKS = ("Traceback", 'File "', "sqlite3", "psycopg", "SELECT ")
CALLERS = ("anonymous", "partner", "analyst")


@dataclass
class ApiTally:
    """Figures per caller, printed at the end of the run by the fuzz conftest."""

    operations: set[str] = field(default_factory=set)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        total: Counter[str] = sum(self.counts.values(), Counter())
        lines = [
            f"fuzz api: {len(self.operations)} operations x {len(self.counts)} callers, "
            f"{total['requests']:,} requests, {total['server errors']:,} server errors, "
            f"{total['anonymous answers with data']:,} anonymous answers with data, "
            f"{total['anonymous not refused']:,} other anonymous answers that are not refusals, "
            f"{total['leaky bodies']:,} leaky bodies, {sum(self.seconds.values()):.1f} s in all"
        ]
        lines += [
            f"  {caller}: {counts['requests']} requests, statuses "
            + ", ".join(f"{status}: {counts[status]}" for status in sorted(k for k in counts if k.isdigit()))
            for caller, counts in self.counts.items()
        ]
        return "\n".join(lines)


@pytest.fixture
def api_tally(fuzz_tallies: dict[str, object]) -> ApiTally:
    tally = fuzz_tallies.setdefault("api", ApiTally())
    assert isinstance(tally, ApiTally)
    return tally


@pytest.fixture
def demo_records(areas: None, fixtures_dir: Path, tmp_path: Path) -> dict[str, int]:
    """Records like the demo's, so answers carry data: events reported by two datasets (one
    merged), actors with aliases, force movements, control claims, roads and places. Returns an
    existing id for each path parameter, so some requests reach a real record."""
    actors = tmp_path / "actors.csv"
    actors.write_text("name,kind,aliases\nGang A (Haiti),gang,Gang A\n", encoding="utf-8")
    import_actors(actors)
    import_acled(fixtures_dir / "acled_sample.csv")
    import_ucdp(fixtures_dir / "ucdp_sample.csv")
    import_strength(fixtures_dir / "strength_template.csv")
    import_control(fixtures_dir / "control_two_groups.geojson")
    import_roads(fixtures_dir / "roads_cross.geojson")
    import_gazetteer(fixtures_dir / "places_three_areas.csv")
    merged = EventReport.objects.get()
    return {
        "event_id": merged.event_id,
        "report_id": merged.pk,
        "area_id": ControlArea.objects.values_list("pk", flat=True)[0],
        "segment_id": RoadSegment.objects.values_list("pk", flat=True)[0],
    }


@dataclass(frozen=True)
class FuzzedApi:
    schema: BaseSchema
    known_ids: dict[str, int]
    server_exceptions: list[str]  # where views raised an exception, newest last


@pytest.fixture
def fuzzed_api(alice: User, demo_records: dict[str, int]) -> Iterator[FuzzedApi]:
    """The API's schema as Schemathesis reads it from the WSGI application in this process.

    Django closes the connection when a request ends; inside a test that would end the test's
    transaction, so (as Django's own test client does) that handler is off while the test runs.
    Exceptions raised by views are recorded, so a server error is reported with where it broke.
    """
    server_exceptions: list[str] = []

    def record(sender: object, **kwargs: object) -> None:
        server_exceptions.append(_where_it_broke())

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(record)
    try:
        reader = {"Authorization": f"Bearer {issue_token(alice, 'schema')}"}
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler(), headers=reader)
        yield FuzzedApi(schema, demo_records, server_exceptions)
    finally:
        got_request_exception.disconnect(record)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(alice: User, charlie: User) -> dict[str, dict[str, str]]:
    """The headers each caller sends: none, a partner's bearer token, an analyst's."""
    return {
        "anonymous": {},
        "partner": {"Authorization": f"Bearer {issue_token(charlie, 'fuzz', write=True)}"},
        "analyst": {"Authorization": f"Bearer {issue_token(alice, 'fuzz', write=True)}"},
    }


@pytest.mark.parametrize("caller", CALLERS)
def test_no_operation_fails_or_leaks_for_any_caller(
    caller: str, fuzzed_api: FuzzedApi, credentials: dict[str, dict[str, str]], api_tally: ApiTally
) -> None:
    started = time.perf_counter()
    run = CallerRun(caller, credentials[caller], fuzzed_api.server_exceptions)
    for operation in _operations(fuzzed_api.schema):
        api_tally.operations.add(operation.label)
        for mode, examples in EXAMPLES.items():
            strategy = _cases(operation, mode, fuzzed_api.known_ids)
            if strategy is not None:
                run.send_cases(strategy, examples)
        run.send_nul_variants(operation, fuzzed_api.known_ids)
    api_tally.counts[caller] = run.counts
    api_tally.seconds[caller] = time.perf_counter() - started
    assert run.counts["requests"] > 0
    assert not run.failures, f"{len(run.failures)} kind(s) of failure:\n" + "\n".join(
        f"{key} ({count} time(s)); first: {run.examples[key]}" for key, count in run.failures.items()
    )


def _operations(schema: BaseSchema) -> list[Operation]:
    """Every operation of the document; one Schemathesis cannot read fails the test, with why."""
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            pytest.fail(f"Schemathesis cannot read an operation of the OpenAPI document: {result.err()}")
        operations.append(result.ok())
    return operations


def _cases(operation: Operation, mode: GenerationMode, known: dict[str, int]) -> st.SearchStrategy[AnyCase] | None:
    """Generated cases; for an operation on one record, half of them aim at a record that exists."""
    names = {parameter.name for parameter in operation.path_parameters}
    if mode.is_negative and not (names or len(operation.query) or len(operation.body)):
        return None  # nothing to break in an operation that takes no input
    generated = operation.as_strategy(generation_mode=mode)
    if not names:
        return generated
    existing = {name: known[name] for name in names if name in known}
    return st.one_of(generated, operation.as_strategy(generation_mode=mode, path_parameters=existing))


@dataclass
class CallerRun:
    """Requests sent as one caller, what came back, and what should not have."""

    caller: str
    headers: dict[str, str]
    server_exceptions: list[str]
    counts: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # one kind: caller, problem, operation, exception
    examples: dict[str, str] = field(default_factory=dict)  # the first request of each kind

    def send_cases(self, strategy: st.SearchStrategy[AnyCase], examples: int) -> None:
        @_settings(examples)
        @given(strategy)
        def send_generated(case: AnyCase) -> None:
            self.send(case)

        send_generated()

    def send_nul_variants(self, operation: Operation, known: dict[str, int]) -> None:
        """Each query parameter, and each text field of a generated body, once with a NUL character
        in it. PostgreSQL refuses NUL in text, so one that reaches a query unchecked is a 500 there;
        random generation puts a NUL into a given parameter too rarely to rely on."""
        existing = {p.name: known[p.name] for p in operation.path_parameters if p.name in known}

        @_settings(NUL_BASE_CASES)
        @given(operation.as_strategy(path_parameters=existing or None))
        def send_variants(base: AnyCase) -> None:
            for query, body in _nul_variants(operation, base):
                self.send(
                    operation.Case(
                        path_parameters=base.path_parameters, query=query, body=body, media_type=base.media_type
                    )
                )

        send_variants()

    def send(self, case: AnyCase) -> None:
        with transaction.atomic():
            response = case.call(headers=self.headers)
            transaction.set_rollback(True)
        self.record(case.operation.label, response)

    def record(self, operation: str, response: schemathesis.Response) -> None:
        self.counts["requests"] += 1
        self.counts[str(response.status_code)] += 1
        raised = self.server_exceptions.pop() if response.status_code >= 500 and self.server_exceptions else ""
        for problem in _problems(self.caller, response):
            self.counts[problem] += 1
            kind = f"{self.caller}: {problem} in {operation}" + (f", raised {raised}" if raised else "")
            self.failures[kind] += 1
            self.examples.setdefault(kind, _reproduction(response))


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,  # derandomized runs need no example database, and none is written into the checkout
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


def _nul_variants(operation: Operation, base: AnyCase) -> Iterator[tuple[dict[str, Any], Any]]:
    """The base case's query and body, with a NUL in one query parameter or one text field."""
    query = dict(base.query or {})
    for parameter in operation.query:
        yield {**query, parameter.name: NUL_TEXT}, base.body
    for path in _text_fields(base.body)[:MAX_NUL_FIELDS]:
        body: Any = copy.deepcopy(base.body)
        container = body
        for key in path[:-1]:
            container = container[key]
        container[path[-1]] += NUL_TEXT
        yield query, body


def _text_fields(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where a JSON value holds text, as paths of keys and indexes."""
    if isinstance(value, str) and path:
        return [path]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _text_fields(item, (*path, key))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _text_fields(item, (*path, index))]
    return []


def _problems(caller: str, response: schemathesis.Response) -> list[str]:
    problems = []
    status = response.status_code
    if status >= 500:
        problems.append("server errors")
    if caller == "anonymous" and 200 <= status < 300:
        problems.append("anonymous answers with data")
    elif caller == "anonymous" and status not in REFUSALS:
        problems.append("anonymous not refused")
    body = response.content.decode("utf-8", errors="replace")
    sent = unquote_plus(f"{response.request.url} {_request_body(response)}")
    if any(leak in body and leak not in sent for leak in LEAKS):
        problems.append("leaky bodies")
    return problems


def _where_it_broke() -> str:
    """The exception being handled, with the innermost Ulinzi line it passed through."""
    kind, error, trace = sys.exc_info()
    frames = [frame for frame in traceback.extract_tb(trace) if "/ulinzi/" in frame.filename]
    place = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    return f"{kind.__name__ if kind else 'an exception'}: {str(error)[:200]}{place}"


def _request_body(response: schemathesis.Response) -> str:
    body: Any = response.request.body
    return body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body or "")


def _reproduction(response: schemathesis.Response) -> str:
    request = response.request
    body = _request_body(response)
    shown = f" body {body[:300]!r}" if body else ""
    return f"{request.method} {request.url}{shown} -> {response.status_code} {response.content[:300]!r}"
