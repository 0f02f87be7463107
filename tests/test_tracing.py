"""One trace from the gateway to the consumer's effect, for a kudos given through the gateway.

The whole network runs with tracing switched on by the standard variables alone
(`OTEL_EXPORTER_OTLP_ENDPOINT`), sending spans by OTLP over HTTP to a collector held in memory
here. The caller starts the trace (as the portal does: its calls to the gateway carry its span);
the test then finds every span of that trace: the gateway's, the recognition API's with its
database statements and the outbox row, the relay's send of the Kafka record, and the projects
consumer's effect, each the child of the one before.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import uuid4

import pytest
from devstack.kafka import free_port
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from .conftest import Network
from .test_story import REGISTER, eventually, person

pytestmark = pytest.mark.slow

GIVE = "mutation($i: GiveKudosInput!) { giveKudos(input: $i) { kudos { id } } }"
KUDOS_TYPE = "network.heroes.recognition.kudos_given.v1"


@dataclass(frozen=True)
class Span:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    kind: int


class Collector:
    """An OTLP/HTTP trace receiver in memory (`POST /v1/traces`, protobuf)."""

    def __init__(self) -> None:
        self.spans: list[Span] = []
        self.lock = threading.Lock()
        collector = self

        class Receive(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                request = ExportTraceServiceRequest.FromString(body)
                collector.add(request)
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receive)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, request: ExportTraceServiceRequest) -> None:
        found = []
        for resource in request.resource_spans:
            service = next((a.value.string_value for a in resource.resource.attributes if a.key == "service.name"), "")
            for scope in resource.scope_spans:
                for span in scope.spans:
                    found.append(Span(service, span.name, span.trace_id.hex(), span.span_id.hex(),
                                      span.parent_span_id.hex(), span.kind))
        with self.lock:
            self.spans += found

    def of_trace(self, trace_id: str) -> list[Span]:
        with self.lock:
            return [span for span in self.spans if span.trace_id == trace_id]


@pytest.fixture(scope="module")
def collector() -> Iterator[Collector]:
    found = Collector()
    found.thread.start()
    yield found
    found.server.shutdown()


@pytest.fixture(scope="module")
def traced(network_factory: Callable[..., AbstractContextManager[Network]], collector: Collector) -> Iterator[Network]:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"}
    with network_factory("tracing", env=env) as network:
        yield network


def test_a_kudos_is_one_trace_from_the_gateway_to_the_consumers_effect(traced: Network, collector: Collector) -> None:
    organisation = traced.data(REGISTER, {"i": {"name": f"Trace Trust {uuid4().hex[:4]}", "kind": "ACUTE_TRUST",
                                                "region": "Traces"}}, traced.admin)["registerOrganisation"]
    org = organisation["organisation"]["id"]
    giver = person(traced, traced.admin, org, "Gita Giver", "STAFF_CLINICAL")
    thanked = person(traced, traced.admin, org, "Theo Thanked", "STAFF_CLINICAL")
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)

    given = traced.call(GIVE, {"i": {"toMemberId": thanked.id, "message": "Thank you for the new rota"}},
                        giver.token, traceparent=f"00-{trace_id}-{caller_span}-01")
    assert "errors" not in given, given

    def whole_trace() -> dict[str, list[Span]]:
        spans = collector.of_trace(trace_id)
        by_service: dict[str, list[Span]] = {}
        for span in spans:
            by_service.setdefault(span.service, []).append(span)
        effects = [s for s in by_service.get("projects-consumer", []) if s.name == f"process {KUDOS_TYPE}"]
        assert effects, sorted({(s.service, s.name) for s in spans})
        return by_service

    by_service = eventually(whole_trace, timeout=60)
    spans = {span.span_id: span for found in by_service.values() for span in found}

    def parent(span: Span) -> Span:
        return spans[span.parent_id]

    [effect] = [s for s in by_service["projects-consumer"] if s.name == f"process {KUDOS_TYPE}"]
    send = parent(effect)
    row = parent(send)
    [gateway_server] = [s for s in by_service["gateway"] if s.parent_id == caller_span]
    gateway_call = [s for s in by_service["gateway"] if s.name == "POST recognition"]
    recognition_server = [s for s in by_service["recognition"] if s.parent_id in {c.span_id for c in gateway_call}]
    database = [s for s in by_service["recognition"] if s.name.startswith(("INSERT", "SELECT", "UPDATE"))]

    assert (send.service, send.name) == ("recognition-relay", "send recognition.events.v1")
    assert (row.service, row.name) == ("recognition", "outbox recognition.kudos_given")
    assert gateway_call
    assert all(call.parent_id == gateway_server.span_id or parent(call).service == "gateway"
                                for call in gateway_call)
    assert recognition_server, "the recognition API's server span is the gateway call's child"
    assert database, "the recognition API's database statements are in the trace"
    # The outbox row was written inside the recognition API's handling of that call.
    ancestor = row
    while ancestor.parent_id in spans and ancestor.service == "recognition":
        ancestor = parent(ancestor)
    assert ancestor.service == "gateway"
    assert {"gateway", "recognition", "recognition-relay", "projects-consumer"} <= set(by_service)
