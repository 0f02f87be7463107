"""Configuration guard: every Kafka client the code builds is configured the one safe way."""

import ast
import asyncio
from pathlib import Path

import pytest
from servicekit.kafka import ClientStopFailed, new_consumer, new_producer, stop_client

REPO = Path(__file__).resolve().parents[4]
# The product's code. examples/ holds outside consumers written as a feed builder would, without
# servicekit: they make their own clients on purpose (and keep their own offsets).
SOURCE_DIRS = [REPO / "libs", REPO / "services", REPO / "infra", REPO / "bench"]
FACTORY_MODULE = REPO / "libs" / "servicekit" / "servicekit" / "kafka.py"


def constructed_clients() -> list[str]:
    """Places outside servicekit.kafka that construct aiokafka producers or consumers directly."""
    found = []
    for directory in SOURCE_DIRS:
        for path in directory.rglob("*.py"):
            if path == FACTORY_MODULE or "tests" in path.parts or ".venv" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                    if name in {"AIOKafkaProducer", "AIOKafkaConsumer"}:
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    return found


class TestProducers:
    async def test_are_idempotent_with_acks_all(self) -> None:
        producer = new_producer("127.0.0.1:1", client_id="guard")

        # Idempotence is what gives a producer its sequence-tracking transaction manager.
        assert producer._txn_manager is not None
        assert producer._sender._acks == -1
        await producer.stop()

    async def test_overrides_cannot_weaken_acks_or_idempotence(self) -> None:
        producer = new_producer("127.0.0.1:1", client_id="guard", acks=1, enable_idempotence=False)

        assert producer._txn_manager is not None
        assert producer._sender._acks == -1
        await producer.stop()


class TestConsumers:
    async def test_never_auto_commit(self) -> None:
        consumer = new_consumer("127.0.0.1:1", "t", group_id="guard", enable_auto_commit=True)

        assert consumer._enable_auto_commit is False
        await consumer.stop()


class TestNoOtherConstruction:
    def test_only_servicekit_kafka_builds_clients(self) -> None:
        assert constructed_clients() == []


class _StopsLikeAiokafkaInBackOff:
    """What aiokafka's consumer does when stopped while a fetch waits out its back-off: it cancels
    that fetch's task and awaits it, so the fetch's CancelledError comes out of stop()."""

    def __init__(self) -> None:
        self.stopped = False

    async def stop(self) -> None:
        fetch = asyncio.create_task(asyncio.Event().wait())  # a fetch that never answers by itself
        await asyncio.sleep(0)  # let it start, as aiokafka's pending fetch has
        fetch.cancel()
        self.stopped = True
        await fetch


class TestStoppingClients:
    async def test_a_cancelled_fetch_inside_stop_is_a_stop_failure_not_a_cancellation(self) -> None:
        client = _StopsLikeAiokafkaInBackOff()

        with pytest.raises(ClientStopFailed):
            await stop_client(client)
        assert client.stopped

    async def test_a_real_cancellation_of_the_stopping_task_still_cancels_it(self) -> None:
        started = asyncio.Event()

        class Slow:
            async def stop(self) -> None:
                started.set()
                await asyncio.Event().wait()  # stops only when cancelled

        task = asyncio.create_task(stop_client(Slow()))
        await started.wait()
        task.cancel()

        with pytest.raises(asyncio.CancelledError):
            await task
