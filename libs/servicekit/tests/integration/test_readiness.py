"""Relays and consumers report whether they can reach their database and broker."""

import asyncio
import socket

import httpx
import pytest
from prometheus_client import REGISTRY
from servicekit.db import create_engine, session_factory
from servicekit.readiness import serve_probes
from servicekit.testing import eventually

from .conftest import Kit

NO_BROKER = "127.0.0.1:1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gauge(process: str, dependency: str) -> float | None:
    return REGISTRY.get_sample_value("heroes_dependency_up", {"process": process, "dependency": dependency})


class TestRelayReadiness:
    async def test_a_relay_without_a_broker_reports_it_and_is_not_ready(
        self, kit: Kit, caplog: pytest.LogCaptureFixture
    ) -> None:
        relay = kit.relay(bootstrap=NO_BROKER, max_backoff=0.2)
        kit.start(relay)

        async def reported() -> bool:
            assert relay.readiness.report() == {"database": True, "kafka": False}
            return True

        await eventually(reported)
        assert not relay.readiness.ready
        assert gauge(relay.readiness.process, "kafka") == 0
        assert gauge(relay.readiness.process, "database") == 1
        downs = [record for record in caplog.records if record.getMessage() == "dependency.down"]
        assert [(r.process_name, r.dependency) for r in downs] == [(relay.readiness.process, "kafka")]  # type: ignore[attr-defined]

    async def test_a_working_relay_is_ready(self, kit: Kit) -> None:
        relay = kit.relay()
        kit.start(relay)

        async def ready() -> bool:
            return relay.readiness.ready

        await eventually(ready)
        assert relay.readiness.report() == {"database": True, "kafka": True}

    async def test_probes_serve_the_relays_readiness(self, kit: Kit) -> None:
        relay = kit.relay(bootstrap=NO_BROKER, max_backoff=0.2)
        kit.start(relay)
        stop, port = asyncio.Event(), free_port()
        probes = asyncio.create_task(serve_probes(relay.readiness, port, stop, host="127.0.0.1"))
        try:
            async with httpx.AsyncClient(timeout=5) as http:

                async def answered() -> httpx.Response:
                    try:
                        response = await http.get(f"http://127.0.0.1:{port}/readyz")
                    except httpx.ConnectError as error:
                        raise AssertionError("probes not listening yet") from error
                    assert response.json()["checks"] == {"database": True, "kafka": False}
                    return response

                response = await eventually(answered)
                live = await http.get(f"http://127.0.0.1:{port}/healthz")
        finally:
            stop.set()
            await probes

        assert response.status_code == 503
        assert response.json() == {"status": "not ready", "checks": {"database": True, "kafka": False}}
        assert live.json() == {"status": "ok"}


class TestConsumerReadiness:
    async def test_a_consumer_without_a_broker_reports_it(self, kit: Kit) -> None:
        runner = kit.consumer(bootstrap=NO_BROKER)
        kit.start(runner)

        async def reported() -> bool:
            assert runner.readiness.report() == {"database": True, "kafka": False}
            return True

        await eventually(reported)
        assert gauge(runner.name, "kafka") == 0

    async def test_a_consumer_without_its_database_reports_it(self, kit: Kit) -> None:
        engine = create_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/kit", connect_timeout=0.5)
        try:
            runner = kit.consumer(sessions=session_factory(engine))
            kit.start(runner)

            async def reported() -> bool:
                assert runner.readiness.report()["database"] is False
                return True

            await eventually(reported)
            assert not runner.readiness.ready
        finally:
            await kit.stop(kit.tasks[-1][1])
            await engine.dispose()

    async def test_a_working_consumer_is_ready(self, kit: Kit) -> None:
        runner = kit.consumer()
        kit.start(runner)

        async def ready() -> bool:
            return runner.readiness.ready

        await eventually(ready, timeout=20)
        assert runner.readiness.report() == {"database": True, "kafka": True}
