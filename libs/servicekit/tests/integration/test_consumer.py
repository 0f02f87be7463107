import json
from typing import ClassVar
from uuid import uuid4

from servicekit.db import create_engine, session_factory
from servicekit.events import Event
from servicekit.testing import eventually, header, proxied, read_topic

from .conftest import Kit


class SomethingElse(Event):
    topic: ClassVar[str] = "other.events.v1"
    source: ClassVar[str] = "/other"
    name: ClassVar[str] = "other.something_else"
    thing: int


async def _applied(runner, expected: int) -> bool:  # type: ignore[no-untyped-def]
    assert runner.stats.applied == expected, runner.stats
    return True


class TestIdempotence:
    async def test_the_same_event_delivered_three_times_has_one_effect(self, kit: Kit) -> None:
        runner = kit.consumer()
        kit.start(runner)
        widget, event_id = uuid4(), uuid4()

        for _ in range(3):
            await kit.send_event(kit.event(widget_id=widget, seq=1), key=widget, event_id=event_id)

        await eventually(lambda: _seen(runner, 3))
        assert await kit.effects(runner.name) == [(event_id, str(widget), 1)]
        assert (runner.stats.applied, runner.stats.duplicates) == (1, 2)

    async def test_effects_of_one_key_happen_in_publication_order(self, kit: Kit) -> None:
        runner = kit.consumer()
        kit.start(runner)
        widget = uuid4()

        for seq in range(30):
            await kit.send_event(kit.event(widget_id=widget, seq=seq), key=widget)

        await eventually(lambda: _applied(runner, 30))
        assert [effect[2] for effect in await kit.effects(runner.name)] == list(range(30))


class TestPoisonMessages:
    async def test_bad_messages_go_to_the_dlq_and_the_next_good_one_is_applied(self, kit: Kit) -> None:
        runner = kit.consumer()
        kit.start(runner)
        widget = uuid4()
        good = kit.event(widget_id=widget, seq=5)
        template = await kit.send_event(good, key=widget)  # one good message first
        await eventually(lambda: _applied(runner, 1))

        # 1. not JSON at all, on the same key (so the same partition)
        await kit.send_raw(key=str(widget).encode(), value=b"{not json", headers=template.headers())
        # 2. a schema version this consumer does not know
        await kit.send_event(good, key=widget, type_override="network.heroes.kit.widget_changed.v9")
        # 3. the right type, but a payload that breaks its schema
        await kit.send_raw(key=str(widget).encode(), value=b'{"widget_id": "nope", "seq": 1}',
                           headers=[(k, str(uuid4()).encode() if k == "ce_id" else v) for k, v in template.headers()])
        # 4. and a good one after them
        after = await kit.send_event(kit.event(widget_id=widget, seq=6), key=widget)

        dead = await read_topic(kit.bootstrap, f"{kit.topic}.dlq", until=lambda r: len(r) >= 3)
        await eventually(lambda: _applied(runner, 2))
        assert [header(r, "dlq_reason") for r in dead] == ["undecodable", "unknown_version", "invalid_payload"]
        assert all(r.key == str(widget).encode() for r in dead)
        assert dead[0].value == b"{not json"
        assert header(dead[1], "ce_type") == "network.heroes.kit.widget_changed.v9"  # original headers kept
        assert all(header(r, "dlq_consumer") == runner.name and header(r, "dlq_error") for r in dead)
        assert {header(r, "dlq_topic") for r in dead} == {kit.topic}
        assert [e[0] for e in await kit.effects(runner.name)][-1] == after.id
        assert runner.stats.dead_lettered == 3

    async def test_a_handler_that_keeps_failing_is_retried_then_dead_lettered(self, kit: Kit) -> None:
        runner = kit.consumer(max_attempts=3)
        kit.start(runner)
        widget = uuid4()

        await kit.send_event(kit.event(widget_id=widget, seq=-1), key=widget)  # the handler refuses seq < 0
        await kit.send_event(kit.event(widget_id=widget, seq=2), key=widget)

        [dead] = await read_topic(kit.bootstrap, f"{kit.topic}.dlq", until=lambda r: len(r) >= 1)
        await eventually(lambda: _applied(runner, 1))
        assert header(dead, "dlq_reason") == "handler_failed"
        assert header(dead, "dlq_attempts") == "3"
        assert "can never be applied" in (header(dead, "dlq_error") or "")
        assert json.loads(dead.value)["seq"] == -1
        assert [e[2] for e in await kit.effects(runner.name)] == [2]

    async def test_unknown_event_types_are_skipped_and_counted_not_dead_lettered(self, kit: Kit) -> None:
        runner = kit.consumer()
        kit.start(runner)
        key = uuid4()

        await kit.send_event(SomethingElse(thing=1), key=key)
        await kit.send_event(kit.event(widget_id=key, seq=1), key=key)

        await eventually(lambda: _applied(runner, 1))
        assert runner.stats.skipped_unknown == 1
        assert runner.stats.dead_lettered == 0


class TestDatabaseOutage:
    async def test_messages_wait_and_are_applied_once_after_recovery(self, kit: Kit) -> None:
        async with proxied(kit.url) as (proxy, url_via_proxy):
            engine = create_engine(url_via_proxy, pool_size=2)
            try:
                runner = kit.consumer(sessions=session_factory(engine))
                kit.start(runner)
                await eventually(lambda: _assigned(runner))
                widget = uuid4()
                await kit.send_event(kit.event(widget_id=widget, seq=0), key=widget)
                await eventually(lambda: _applied(runner, 1))

                proxy.cut()
                for seq in range(1, 21):
                    await kit.send_event(kit.event(widget_id=widget, seq=seq), key=widget)
                await eventually(lambda: _outages(runner), timeout=15)
                proxy.restore()

                await eventually(lambda: _applied(runner, 21), timeout=30)
                assert [e[2] for e in await kit.effects(runner.name)] == list(range(21))
                assert runner.stats.dead_lettered == 0
            finally:
                await engine.dispose()


async def _seen(runner, total: int) -> bool:  # type: ignore[no-untyped-def]
    assert runner.stats.applied + runner.stats.duplicates == total, runner.stats
    return True


async def _assigned(runner) -> bool:  # type: ignore[no-untyped-def]
    return bool(runner.assigned.is_set())


async def _outages(runner) -> bool:  # type: ignore[no-untyped-def]
    return bool(runner.stats.outages >= 1)

