"""OpenTelemetry traces: one trace from a request at the edge, through the gateway and each
subgraph (its HTTP handling and database statements), the outbox row, the relay's send and the
Kafka record, to the consumer's effect.

Switched on by the standard variables alone: `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) sends spans by OTLP over HTTP; `OTEL_TRACES_EXPORTER`
picks `otlp`, `console` or `none` explicitly; `OTEL_SERVICE_NAME` overrides the process's
name. With none of them set nothing is traced and nothing is added to the hot paths.

The trace context crosses processes as a W3C `traceparent`: an HTTP header between the gateway
and subgraphs, a column of the outbox row, and a header of the Kafka record (the relay's send
span, so the consumer's span is its child).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import context, trace
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

log = logging.getLogger("servicekit.telemetry")

TRACER = "heroes"
_PROPAGATOR = TraceContextTextMapPropagator()
_state = {"enabled": False, "instrumented": False}


def exporter_wanted() -> str | None:
    """The exporter the OTEL_* variables ask for: 'otlp', 'console', or None for none."""
    chosen = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if chosen == "none":
        return None
    if chosen:
        return chosen.split(",")[0].strip()
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    return "otlp" if endpoint else None


def configure_tracing(service_name: str) -> bool:
    """Set up this process's tracer provider and instrumentations from the OTEL_* variables;
    True when tracing is on. Called once at process start (an app factory, a relay, a consumer)."""
    if _state["enabled"]:
        return True
    exporter = exporter_wanted()
    if exporter is None:
        return False
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

    span_exporter: SpanExporter
    if exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        span_exporter = OTLPSpanExporter()
    elif exporter == "console":
        span_exporter = ConsoleSpanExporter()
    else:
        log.warning("telemetry.unknown_exporter", extra={"exporter": exporter})
        return False
    name = os.environ.get("OTEL_SERVICE_NAME") or service_name
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(span_exporter))
    trace.set_tracer_provider(provider)
    enable()
    log.info("telemetry.tracing", extra={"exporter": exporter, "service_name": name})
    return True


def enable() -> None:
    """Trace from now on with whatever provider is set (tests set an in-memory one), and
    instrument the libraries the network uses: asyncpg (database statements) and httpx."""
    _state["enabled"] = True
    if _state["instrumented"]:
        return
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    AsyncPGInstrumentor().instrument()  # type: ignore[no-untyped-call]  # its __init__ is not annotated
    HTTPXClientInstrumentor().instrument()
    _state["instrumented"] = True


def disable() -> None:
    """Stop tracing in this process (tests that switched it on for themselves)."""
    _state["enabled"] = False
    if _state["instrumented"]:
        from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        AsyncPGInstrumentor().uninstrument()  # type: ignore[no-untyped-call]  # its __init__ is not annotated
        HTTPXClientInstrumentor().uninstrument()
        _state["instrumented"] = False


def enabled() -> bool:
    return _state["enabled"]


def instrument_app(app: Any) -> None:
    """Server spans for an ASGI app (the outermost layer), when tracing is on."""
    if not enabled():
        return
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    app.add_middleware(OpenTelemetryMiddleware)


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER)


def current_traceparent() -> str | None:
    """The active span's context as a W3C traceparent, or None when none is active."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def span(name: str, *, kind: SpanKind = SpanKind.INTERNAL, parent: str | None = None,
         attributes: dict[str, Any] | None = None) -> Iterator[Span | None]:
    """A span when tracing is on (as a child of `parent`, a traceparent, when given), else nothing."""
    if not enabled():
        yield None
        return
    token = None
    if parent:
        token = context.attach(_PROPAGATOR.extract({"traceparent": parent}))
    try:
        with tracer().start_as_current_span(name, kind=kind, attributes=attributes) as current:
            yield current
    finally:
        if token is not None:
            context.detach(token)


def start_span(name: str, *, kind: SpanKind, parent: str | None,
               attributes: dict[str, Any] | None = None) -> Span | None:
    """A span that the caller ends (one per Kafka record in a batch), or None when tracing is off."""
    if not enabled():
        return None
    parent_context = _PROPAGATOR.extract({"traceparent": parent}) if parent else None
    return tracer().start_span(name, context=parent_context, kind=kind, attributes=attributes)


def traceparent_of(current: Span) -> str:
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier, context=trace.set_span_in_context(current))
    return carrier["traceparent"]
