"""`python -m devstack.asyncapi write|check`: the network's event contract as AsyncAPI 3.0.

The event classes are the one source of truth: this imports each service's `events` module, takes
the topics and partitions from infra/topics.toml, and has servicekit.asyncapi build the document.
`write` regenerates infra/asyncapi.yaml (with .json and .html beside it); `check` says whether the
checked-in files still match the code, as the tests do. The recognition service serves the three
files to feed builders at /asyncapi.yaml, /asyncapi.json and /asyncapi.html.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from servicekit.asyncapi import Examples, Topic, build_document, prose
from servicekit.asyncapi_page import render_page
from servicekit.events import Event
from servicekit.kafka import load_topics

REPO = Path(__file__).resolve().parents[3]
INFRA = REPO / "infra"
TOPICS_FILE = INFRA / "topics.toml"
FILES = ("asyncapi.yaml", "asyncapi.json", "asyncapi.html")
COMMAND = "python -m devstack.asyncapi write"

EVENT_MODULES = ("membership.events", "projects.events", "recognition.events")
# The payload fields the key is taken from, in order: the first one an event has and sets is the
# aggregate id its relay keys the record with (see each events module's "Key:" line).
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "membership.events.v1": ("member_id", "pairing_id", "organisation_id"),
    "projects.events.v1": ("project_id", "organisation_id"),
    "recognition.events.v1": (
        "member_id",
        "to_member_id",
        "project_id",
        "to_project_id",
        "celebration_id",
        "kudos_id",
        "nomination_id",
    ),
}

# Example values where a field's type says too little: taken from the services' own enums, so an
# example reads like a real event. Ids and times the generator makes itself.
EXAMPLES = Examples(
    by_field={
        "kind": "acute_trust",
        "member_type": "service_user",
        "network_role": "hero",
        "visibility": "network",
        "previous_status": "invited",
        "status": "active",
        "level": 2,
        "minutes": 90,
        "month": "2025-02",
        "stage": "idea",
        "role": "service_user_partner",
        "from_role": "member",
        "to_role": "lead",
        "from_stage": "testing",
        "to_stage": "implementing",
        "outcome": "closed",
        "fields": ["summary", "aim"],
        "decision": "adopt",
        "improvement_direction": "down",
        "measure_kind": "outcome",
        "rule_set": "mdc",
        "rule": "shift",
        "nature": "improvement",
        "items_removed": 3,
        "revision": 2,
        "responses": 12,
        "energised_and_empowered": 8,
    },
    by_event={
        "membership.involvement_level_set": {"level": "co_design"},
        "membership.peers_paired": {"kind": "buddy", "crosses_organisations": True},
        "membership.pulse_submitted": {"month": "2025-03"},
        "projects.project_proposed": {"visibility": "organisation"},
        "projects.driver_added": {"level": "secondary"},
        "projects.diagram_item_removed": {"kind": "primary_driver"},
        "projects.measure_defined": {"kind": "outcome"},
        "projects.stage_advanced": {"from_stage": "implementing", "to_stage": "spreading"},
        "recognition.badge_awarded": {"recipient": "member", "project_id": None},
        "recognition.kudos_given": {"to_project_id": None},
        "recognition.nomination_submitted": {"project_id": None},
        "recognition.nomination_decided": {"project_id": None, "decision": "granted"},
        "recognition.celebration_posted": {
            "kind": "kudos",
            "project_id": None,
            "award_id": None,
            "nomination_id": None,
        },
    },
)

DESCRIPTION = prose("""
The events the MAC Heroes Network publishes on Apache Kafka, for the network's own services
and for feeds outside it (intranet wallboards, newsletters, Teams or Slack bridges). Feed
builders read `recognition.events.v1`.

Every record is a CloudEvents 1.0 event in Kafka binary mode: the attributes are record headers
(`ce_id`, `ce_source`, `ce_type`, `ce_time`, `ce_specversion`, `content-type`, and `traceparent`
when the change came from a traced request), the key is the aggregate id, and the value is the
JSON payload. `ce_type` names the payload schema and its version.

Delivery is at least once: the same event may arrive twice, with the same `ce_id`, so
de-duplicate on it. Events of one key (one member, project or organisation) arrive in order.
Events are thin: ids, kinds, counts and times, never names, emails or free text about people;
look those up through the GraphQL API when you show them, which applies each person's latest
consent.

Operations are written from the network's side: it sends every message here, and you receive
them. Generated from the event classes by `python -m devstack.asyncapi write`; do not edit by
hand.
""")

SERVERS: dict[str, Any] = {
    "local": {
        "host": "{bootstrap}",
        "protocol": "kafka",
        "description": (
            "The broker `make run` starts on this machine. Elsewhere, use the bootstrap servers "
            "your operations team gives you (HEROES_KAFKA_BOOTSTRAP_SERVERS)."
        ),
        "variables": {
            "bootstrap": {
                "default": "127.0.0.1:59092",
                "description": "A Kafka bootstrap address, host:port.",
            }
        },
    }
}


def event_modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in EVENT_MODULES]


def network_events(modules: Sequence[ModuleType]) -> list[type[Event]]:
    """Every concrete event class the modules define: those with a `name` of their own."""
    found: list[type[Event]] = []
    for module in modules:
        for value in vars(module).values():  # in the order the module defines them
            if (
                isinstance(value, type)
                and issubclass(value, Event)
                and value.__module__ == module.__name__
                and "name" in vars(value)
            ):
                found.append(value)
    return found


def topics(modules: Sequence[ModuleType]) -> list[Topic]:
    """infra/topics.toml's topics as a cluster of three brokers has them, described by the events
    module that publishes on each."""
    descriptions: dict[str, str] = {}
    for event in network_events(modules):
        module = sys.modules[event.__module__]
        descriptions.setdefault(event.topic, prose(module.__doc__ or ""))
    specs = {spec.name: spec for spec in load_topics(TOPICS_FILE, brokers=3)}
    described: list[Topic] = []
    for name, spec in specs.items():
        if name.endswith(".dlq"):
            continue
        dlq = specs.get(f"{name}.dlq")
        described.append(
            Topic(
                name=name,
                partitions=spec.partitions,
                description=descriptions.get(name, ""),
                key_fields=KEY_FIELDS[name],
                replicas=spec.replication_factor,
                config=spec.config or {},
                dlq_partitions=dlq.partitions if dlq else None,
                dlq_config=(dlq.config or {}) if dlq else {},
            )
        )
    return described


def document() -> dict[str, Any]:
    modules = event_modules()
    return build_document(
        title="MAC Heroes Network events",
        version="1.0.0",
        description=DESCRIPTION,
        document_id="urn:network:heroes:events",
        topics=topics(modules),
        events=network_events(modules),
        examples=EXAMPLES,
        servers=SERVERS,
    )


def render() -> dict[str, str]:
    """The three files' text, by file name, as `write` would write them."""
    built = document()
    return {
        "asyncapi.yaml": to_yaml(built),
        "asyncapi.json": json.dumps(built, indent=2, ensure_ascii=False) + "\n",
        "asyncapi.html": render_page(built, yaml_href="asyncapi.yaml", json_href="asyncapi.json"),
    }


def to_yaml(value: Any) -> str:
    """YAML a person can read: text of several paragraphs as a literal block."""
    import yaml  # a development dependency (requirements/dev.txt): only this tool needs it

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
        style = "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(value, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def stale(directory: Path = INFRA) -> list[str]:
    """The checked-in files that differ from what the event classes give now."""
    wanted = render()
    return [
        name
        for name, text in wanted.items()
        if not (directory / name).exists() or (directory / name).read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.asyncapi", description=__doc__)
    parser.add_argument("command", choices=("write", "check"))
    args = parser.parse_args(argv)
    if args.command == "write":
        for name, text in render().items():
            (INFRA / name).write_text(text, encoding="utf-8")
            print(f"wrote infra/{name}")
        return 0
    behind = stale()
    if behind:
        print(f"out of date: {', '.join(f'infra/{n}' for n in behind)}; run {COMMAND}")
        return 1
    print("infra/asyncapi.* match the event classes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
