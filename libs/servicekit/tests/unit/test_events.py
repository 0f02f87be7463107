from typing import ClassVar
from uuid import UUID, uuid4

import pytest
from servicekit.events import Event, EventRegistry, InvalidEventPayload, UnknownEventVersion


class ThingHappened(Event):
    topic: ClassVar[str] = "things.events.v1"
    source: ClassVar[str] = "/things"
    name: ClassVar[str] = "things.thing_happened"
    thing_id: UUID
    count: int


class ThingHappenedV2(ThingHappened):
    version: ClassVar[int] = 2


class TestEventTypes:
    def test_type_is_reverse_dns_prefix_name_and_version(self) -> None:
        assert ThingHappened.ce_type() == "network.heroes.things.thing_happened.v1"
        assert ThingHappenedV2.ce_type() == "network.heroes.things.thing_happened.v2"

    def test_payload_is_json_ready(self) -> None:
        thing = uuid4()

        assert ThingHappened(thing_id=thing, count=2).to_payload() == {"thing_id": str(thing), "count": 2}


class TestRegistry:
    def test_decodes_a_registered_type(self) -> None:
        thing = uuid4()
        registry = EventRegistry([ThingHappened])

        event = registry.decode(ThingHappened.ce_type(), {"thing_id": str(thing), "count": "3"})

        assert event == ThingHappened(thing_id=thing, count=3)

    def test_unknown_fields_are_ignored_so_optional_additions_keep_the_version(self) -> None:
        registry = EventRegistry([ThingHappened])

        event = registry.decode(ThingHappened.ce_type(), {"thing_id": str(uuid4()), "count": 1, "new": "x"})

        assert event.count == 1  # type: ignore[attr-defined]

    def test_an_unknown_version_of_a_known_family_is_refused(self) -> None:
        registry = EventRegistry([ThingHappened])

        assert registry.knows(ThingHappenedV2.ce_type())
        with pytest.raises(UnknownEventVersion):
            registry.decode(ThingHappenedV2.ce_type(), {"thing_id": str(uuid4()), "count": 1})

    def test_other_families_are_not_known(self) -> None:
        registry = EventRegistry([ThingHappened])

        assert not registry.knows("network.heroes.other.something.v1")
        assert not registry.knows("garbage")

    def test_a_payload_that_breaks_the_schema_is_refused(self) -> None:
        registry = EventRegistry([ThingHappened])

        with pytest.raises(InvalidEventPayload):
            registry.decode(ThingHappened.ce_type(), {"thing_id": "not-a-uuid", "count": 1})
