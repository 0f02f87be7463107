"""With tracing on, an event keeps its trace across the outbox, the relay and Kafka: the outbox
row's span, the relay's send and the consumer's effect are one trace, each the next one's parent.
Spans are read from an in-memory exporter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar
from uuid import uuid4

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from servicekit import telemetry
from servicekit.testing import eventually

from .conftest import Kit

T = TypeVar("T")
pytestmark = pytest.mark.asyncio(loop_scope="session")

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """This process traces into memory for one test (the global provider can be set only once)."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    _EXPORTER.clear()
    telemetry.enable()
    try:
        yield _EXPORTER
    finally:
        telemetry.disable()


async def test_the_outbox_row_the_relays_send_and_the_consumers_effect_are_one_trace(
        kit: Kit, spans: InMemorySpanExporter) -> None:
    with telemetry.tracer().start_as_current_span("request", kind=SpanKind.SERVER) as request:
        await kit.commit_event(uuid4(), 1)
    kit.start(kit.relay())
    kit.start(kit.consumer())

    def finished() -> dict[str, ReadableSpan]:
        by_name = {span.name: span for span in spans.get_finished_spans()}
        assert f"process {kit.event.ce_type()}" in by_name, sorted(by_name)
        return by_name

    by_name = await eventually(lambda: _now(finished), timeout=30)
    row = by_name["outbox kit.widget_changed"]
    send = by_name[f"send {kit.topic}"]
    effect = by_name[f"process {kit.event.ce_type()}"]
    trace_id = request.get_span_context().trace_id

    assert {row.context.trace_id, send.context.trace_id, effect.context.trace_id} == {trace_id}
    assert row.parent is not None
    assert send.parent is not None
    assert effect.parent is not None
    assert row.parent.span_id == request.get_span_context().span_id
    assert send.parent.span_id == row.context.span_id
    assert send.kind is SpanKind.PRODUCER
    assert effect.parent.span_id == send.context.span_id
    assert effect.kind is SpanKind.CONSUMER
    # The effect's own database statement is inside its span.
    inserts = [s for s in spans.get_finished_spans() if s.name == "INSERT" and s.parent
               and s.parent.span_id == effect.context.span_id]
    assert inserts


async def test_with_tracing_off_nothing_is_traced(kit: Kit) -> None:
    before = len(_EXPORTER.get_finished_spans())
    await kit.commit_event(uuid4(), 1)
    kit.start(kit.relay())
    kit.start(kit.consumer())
    await eventually(lambda: _effects(kit), timeout=30)

    assert not telemetry.enabled()
    assert len(_EXPORTER.get_finished_spans()) == before


async def _now(check: Callable[[], T]) -> T:
    return check()


async def _effects(kit: Kit) -> bool:
    assert await kit.effects(f"kit.effects.{kit.topic}"), "not applied yet"
    return True
