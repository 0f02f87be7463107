"""AsyncAPI 3.0 documents of our Kafka topics, built from the Event classes that publish on them.

Mechanism only: the caller names the topics and hands in the Event subclasses (servicekit never
imports a service). `devstack.asyncapi` does that for the network and writes infra/asyncapi.yaml.
Everything here is deterministic, so a document regenerated in memory can be compared with the
checked-in one: example ids are uuid5 of the field name, example times are one fixed moment.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid5

from servicekit.envelope import CONTENT_TYPE, SPEC_VERSION, Envelope
from servicekit.events import TYPE_PREFIX, Event

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
SCHEMAS = "#/components/schemas/"

# Example values: one moment for every time, and ids that are the same wherever a field recurs
# (the member_id of one example is the member_id of all), so examples read as one story.
EXAMPLE_TIME = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
EXAMPLE_NAMESPACE = UUID("6f1d3c2e-8a4b-5c7d-9e0f-1a2b3c4d5e6f")
# The W3C Trace Context specification's own example value.
EXAMPLE_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

CLOUDEVENTS_HEADERS = "CloudEventsHeaders"
DEAD_LETTER_HEADERS = "DeadLetterHeaders"
# What servicekit.consumer writes when it parks a record on `<topic>.dlq`, and why it may.
DEAD_LETTER_REASONS = {
    "undecodable": "not a CloudEvent of ours: a header missing, or a value that is not JSON",
    "unknown_version": "a known event at a version this consumer has no schema for",
    "invalid_payload": "the payload does not match the schema of its type and version",
    "handler_failed": "the consumer's handler kept failing for it (after bounded retries)",
}


class DocumentError(ValueError):
    """The events cannot be described as asked (a clash of schema names, no example value...)."""


@dataclass(frozen=True, slots=True)
class Topic:
    """One events topic as the document shows it.

    `key_fields` are the payload fields the Kafka key is taken from, in order: the key is the
    first of them that an event has and sets (the aggregate id). `dlq_partitions` is None when
    the topic has no `.dlq` twin.
    """

    name: str
    partitions: int
    description: str
    key_fields: tuple[str, ...]
    replicas: int | None = None
    config: Mapping[str, str] = field(default_factory=dict)
    dlq_partitions: int | None = None
    dlq_config: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Examples:
    """Example values for fields whose type says too little (a plain `str`, a count).

    `by_event` (event `name` -> field -> value) wins over `by_field` (field -> value). A field
    the model gives `examples` (pydantic `Field(examples=[...])`) uses its first one.
    """

    by_field: Mapping[str, Any] = field(default_factory=dict)
    by_event: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def message_id(event: type[Event]) -> str:
    """`recognition.celebration_posted.v1`: the ce_type without the network's prefix."""
    return event.ce_type().removeprefix(f"{TYPE_PREFIX}.")


def build_document(
    *,
    title: str,
    version: str,
    description: str,
    document_id: str,
    topics: Sequence[Topic],
    events: Iterable[type[Event]],
    examples: Examples,
    servers: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The AsyncAPI 3.0 document (a JSON-ready dict) of `topics` and the `events` they carry.

    Every event must belong to one of the topics, and every topic must carry an event.
    Raises DocumentError otherwise, or when an example cannot be made for a field.
    """
    by_topic: dict[str, list[type[Event]]] = {topic.name: [] for topic in topics}
    for event in dict.fromkeys(events):  # in the order given, once each
        if event.topic not in by_topic:
            raise DocumentError(
                f"{event.__name__} publishes on {event.topic}, not a described topic"
            )
        by_topic[event.topic].append(event)
    for name, carried in by_topic.items():
        if not carried:
            raise DocumentError(f"no event is published on {name}")

    schemas: dict[str, Any] = {
        CLOUDEVENTS_HEADERS: cloudevents_headers_schema(),
        DEAD_LETTER_HEADERS: dead_letter_headers_schema(),
    }
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic in topics:
        carried = by_topic[topic.name]
        ids = [message_id(event) for event in carried]
        for event in carried:
            _add_payload_schema(schemas, event)
            messages[message_id(event)] = _message(event, topic, examples)
        channels[topic.name] = _channel(
            topic.name, topic.description, topic.partitions, topic.replicas, topic.config, ids
        )
        operations[f"send.{topic.name}"] = _operation(topic.name, ids, _send_summary(topic))
        if topic.dlq_partitions is not None:
            dlq = f"{topic.name}.dlq"
            dead = f"{topic.name}.dead_lettered"
            messages[dead] = _dead_letter_message(topic, carried[0], examples)
            channels[dlq] = _channel(
                dlq,
                _dlq_description(topic),
                topic.dlq_partitions,
                topic.replicas,
                topic.dlq_config,
                [dead],
            )
            operations[f"send.{dlq}"] = _operation(
                dlq, [dead], f"A consumer parks a record of {topic.name} it cannot apply."
            )

    document: dict[str, Any] = {
        "asyncapi": ASYNCAPI_VERSION,
        "id": document_id,
        "info": {"title": title, "version": version, "description": description},
        "defaultContentType": CONTENT_TYPE,
    }
    if servers:
        document["servers"] = dict(servers)
    document["channels"] = channels
    document["operations"] = operations
    document["components"] = {"schemas": schemas, "messages": messages}
    return document


# --- headers -------------------------------------------------------------------------------------


def cloudevents_headers_schema() -> dict[str, Any]:
    """The headers servicekit.envelope.Envelope writes (CloudEvents 1.0, Kafka binary mode)."""
    return {
        "type": "object",
        "description": (
            "CloudEvents 1.0 attributes in Kafka binary mode: one record header each, as UTF-8 "
            "text. Headers carry ids only, never personal data."
        ),
        "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "content-type"],
        "properties": {
            "ce_specversion": {
                "type": "string",
                "const": SPEC_VERSION,
                "description": "The CloudEvents specification version.",
            },
            "ce_id": {
                "type": "string",
                "format": "uuid",
                "description": (
                    "Unique per event and the same when a record is delivered again (delivery "
                    "is at least once): de-duplicate on it."
                ),
            },
            "ce_source": {
                "type": "string",
                "description": (
                    "The service that published the event: `/membership`, `/projects`, ..."
                ),
            },
            "ce_type": {
                "type": "string",
                "description": (
                    f"`{TYPE_PREFIX}.<service>.<event>.v<version>`: says which payload schema "
                    "applies. Skip types you do not know; a new version is a new type."
                ),
            },
            "ce_time": {
                "type": "string",
                "format": "date-time",
                "description": "When the change happened (ISO 8601, with its UTC offset).",
            },
            "content-type": {
                "type": "string",
                "const": CONTENT_TYPE,
                "description": "The record value is a JSON object.",
            },
            "traceparent": {
                "type": "string",
                "pattern": "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
                "description": "W3C Trace Context, when the change came from a traced request.",
            },
        },
    }


def dead_letter_headers_schema() -> dict[str, Any]:
    """The headers servicekit.consumer adds to a record it parks on `<topic>.dlq`."""
    reasons = "; ".join(f"`{name}`: {why}" for name, why in DEAD_LETTER_REASONS.items())
    return {
        "type": "object",
        "description": (
            "The original record's headers (normally the CloudEvents ones, but an undecodable "
            "record may lack them), plus these, which say why and where it failed."
        ),
        "required": [
            "dlq_reason",
            "dlq_error",
            "dlq_consumer",
            "dlq_topic",
            "dlq_partition",
            "dlq_offset",
            "dlq_attempts",
            "dlq_failed_at",
        ],
        "properties": {
            "dlq_reason": {
                "type": "string",
                "enum": list(DEAD_LETTER_REASONS),
                "description": f"Why the record was parked. {reasons}.",
            },
            "dlq_error": {
                "type": "string",
                "maxLength": 2000,
                "description": "The error, cut to 2000 characters.",
            },
            "dlq_consumer": {
                "type": "string",
                "description": "The consumer group that gave up on it.",
            },
            "dlq_topic": {"type": "string", "description": "The topic the record came from."},
            "dlq_partition": {
                "type": "string",
                "pattern": "^[0-9]+$",
                "description": "Its partition there, in decimal.",
            },
            "dlq_offset": {
                "type": "string",
                "pattern": "^[0-9]+$",
                "description": "Its offset there, in decimal.",
            },
            "dlq_attempts": {
                "type": "string",
                "pattern": "^[0-9]+$",
                "description": "How many times it was tried, in decimal.",
            },
            "dlq_failed_at": {
                "type": "string",
                "format": "date-time",
                "description": "When it was parked (ISO 8601, UTC).",
            },
        },
    }


def _event_headers(event: type[Event]) -> dict[str, Any]:
    return {
        "type": "object",
        "allOf": [
            {"$ref": SCHEMAS + CLOUDEVENTS_HEADERS},
            {
                "type": "object",
                "properties": {
                    "ce_source": {"type": "string", "const": event.source},
                    "ce_type": {"type": "string", "const": event.ce_type()},
                },
            },
        ],
    }


# --- payloads and messages -----------------------------------------------------------------------


def payload_schema(event: type[Event]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The event's JSON schema with references into components/schemas, and the schemas it
    refers to (its pydantic `$defs`: enums and nested models)."""
    schema = event.model_json_schema(ref_template=SCHEMAS + "{model}")
    definitions = schema.pop("$defs", {})
    for property_schema in schema.get("properties", {}).values():
        property_schema.pop("title", None)  # "Member Id" for member_id says nothing more
    schema["title"] = event.__name__
    schema["description"] = _payload_description(event, prose(schema.get("description", "")))
    return schema, definitions


def _payload_description(event: type[Event], own: str | None) -> str:
    ending = (
        f"Version {event.version} of `{event.family()}`. Fields may be added to this version "
        "(ignore the ones you do not know); any other change is a new version."
    )
    return f"{own}\n\n{ending}" if own else ending


def _add_payload_schema(schemas: dict[str, Any], event: type[Event]) -> None:
    schema, definitions = payload_schema(event)
    for name, definition in {**definitions, message_id(event): schema}.items():
        if name in schemas and schemas[name] != definition:
            raise DocumentError(f"two different schemas are both named {name!r}")
        schemas[name] = definition


def _message(event: type[Event], topic: Topic, examples: Examples) -> dict[str, Any]:
    payload = example_payload(event, examples)
    summary = _first_line(event.__doc__) or _said(event)
    return {
        "name": event.__name__,
        "title": f"{event.__name__} (v{event.version})",
        "summary": summary,
        "contentType": CONTENT_TYPE,
        "headers": _event_headers(event),
        "payload": {"$ref": SCHEMAS + message_id(event)},
        "bindings": {
            "kafka": {
                "key": _key_schema(event, topic, payload),
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
        "examples": [
            {
                "name": event.__name__,
                "summary": f"A {event.__name__} event as it travels.",
                "headers": example_headers(event, payload),
                "payload": payload,
            }
        ],
    }


def _dead_letter_message(topic: Topic, sample: type[Event], examples: Examples) -> dict[str, Any]:
    payload = example_payload(sample, examples)
    headers = {
        **example_headers(sample, payload),
        "dlq_reason": "handler_failed",
        "dlq_error": "TimeoutError: the database did not answer in time",
        "dlq_consumer": "example.consumer",
        "dlq_topic": topic.name,
        "dlq_partition": "0",
        "dlq_offset": "42",
        "dlq_attempts": "5",
        "dlq_failed_at": EXAMPLE_TIME.isoformat(),
    }
    return {
        "name": "DeadLettered",
        "title": f"A record of {topic.name} that a consumer could not apply",
        "summary": "The original record, key and value byte for byte, with why it failed.",
        "headers": {"$ref": SCHEMAS + DEAD_LETTER_HEADERS},
        "payload": {
            "description": (
                f"The original record's value, unchanged: normally one of the {topic.name} "
                "events, but anything at all when `dlq_reason` is `undecodable`."
            ),
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The original record's key, unchanged."},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
        "examples": [
            {
                "name": "DeadLettered",
                "summary": f"A {sample.__name__} event a consumer's handler kept failing on.",
                "headers": headers,
                "payload": payload,
            }
        ],
    }


def _key_schema(event: type[Event], topic: Topic, payload: Mapping[str, Any]) -> dict[str, Any]:
    fields = key_fields(event, topic)
    if not fields:
        raise DocumentError(
            f"{event.__name__} has none of {topic.name}'s key fields {topic.key_fields}"
        )
    if len(fields) == 1:
        said = f"The aggregate id: the event's `{fields[0]}`."
    else:
        said = (
            "The aggregate id: the event's " + ", else ".join(f"`{name}`" for name in fields) + "."
        )
    return {
        "type": "string",
        "format": "uuid",
        "description": f"{said} Events with one key stay in order on one partition.",
        "examples": [example_key(event, topic, payload)],
    }


def key_fields(event: type[Event], topic: Topic) -> list[str]:
    """The topic's key fields this event has, in order, up to its first required one."""
    found: list[str] = []
    for name in topic.key_fields:
        info = event.model_fields.get(name)
        if info is None:
            continue
        found.append(name)
        if info.is_required() and "null" not in _json_types(event, name):
            break
    return found


def example_key(event: type[Event], topic: Topic, payload: Mapping[str, Any]) -> str:
    for name in key_fields(event, topic):
        if payload.get(name) is not None:
            return str(payload[name])
    raise DocumentError(f"the {event.__name__} example sets none of its key fields")


def _json_types(event: type[Event], name: str) -> set[str]:
    prop = event.model_json_schema()["properties"][name]
    return {branch.get("type", "") for branch in prop.get("anyOf", [prop])}


# --- examples ------------------------------------------------------------------------------------


def example_payload(event: type[Event], examples: Examples) -> dict[str, Any]:
    """A plausible, deterministic payload: validated by the model, as the relay would send it."""
    schema = event.model_json_schema()
    definitions = schema.get("$defs", {})
    chosen = {**examples.by_field, **examples.by_event.get(event.name, {})}
    values: dict[str, Any] = {}
    for name, prop in schema["properties"].items():
        if name in chosen:
            values[name] = copy.deepcopy(chosen[name])
        else:
            values[name] = _example_value(event, name, prop, definitions)
    return event.model_validate(values).to_payload()


def _example_value(
    event: type[Event], name: str, prop: Mapping[str, Any], definitions: Mapping[str, Any]
) -> Any:
    if "examples" in prop:
        return prop["examples"][0]
    if "$ref" in prop:
        return _example_value(
            event, name, definitions[prop["$ref"].rsplit("/", 1)[-1]], definitions
        )
    if "const" in prop:
        return prop["const"]
    if "enum" in prop:
        return prop["enum"][0]
    if "anyOf" in prop:
        branches = [branch for branch in prop["anyOf"] if branch.get("type") != "null"]
        return _example_value(event, name, branches[0], definitions)
    kind = prop.get("type")
    if kind == "string":
        if prop.get("format") == "uuid":
            return str(uuid5(EXAMPLE_NAMESPACE, name))
        if prop.get("format") == "date-time":
            return EXAMPLE_TIME.isoformat()
        if prop.get("format") == "date":
            return date(EXAMPLE_TIME.year, EXAMPLE_TIME.month, EXAMPLE_TIME.day).isoformat()
    if kind == "array":
        return [_example_value(event, name, prop.get("items", {}), definitions)]
    if kind == "boolean":
        return True
    if kind == "integer":
        return 1
    raise DocumentError(
        f"no example value for {event.__name__}.{name} ({kind or 'untyped'}): give one in the "
        "generator's Examples, or Field(examples=[...]) on the event"
    )


def example_headers(event: type[Event], payload: Mapping[str, Any]) -> dict[str, str]:
    """The headers servicekit.envelope.Envelope would write for this example."""
    envelope = Envelope(
        id=uuid5(EXAMPLE_NAMESPACE, event.ce_type()),
        source=event.source,
        type=event.ce_type(),
        time=EXAMPLE_TIME,
        key="",
        data=dict(payload),
        traceparent=EXAMPLE_TRACEPARENT,
    )
    return {name: value.decode() for name, value in envelope.headers()}


# --- channels and operations ---------------------------------------------------------------------


def _channel(
    address: str,
    description: str,
    partitions: int,
    replicas: int | None,
    config: Mapping[str, str],
    message_ids: Sequence[str],
) -> dict[str, Any]:
    binding: dict[str, Any] = {"topic": address, "partitions": partitions}
    if replicas is not None:
        binding["replicas"] = replicas
    if config:
        binding["topicConfiguration"] = {
            name: _config_value(value) for name, value in config.items()
        }
    binding["bindingVersion"] = KAFKA_BINDING_VERSION
    return {
        "address": address,
        "title": address,
        "description": description,
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in message_ids},
        "bindings": {"kafka": binding},
    }


def _config_value(value: str) -> int | str:
    # The Kafka binding types the numeric settings (retention.ms ...) as integers.
    return int(value) if value.lstrip("-").isdigit() else value


def _operation(address: str, message_ids: Sequence[str], summary: str) -> dict[str, Any]:
    return {
        "action": "send",
        "title": f"Send to {address}",
        "summary": summary,
        "channel": {"$ref": f"#/channels/{address}"},
        "messages": [{"$ref": f"#/channels/{address}/messages/{name}"} for name in message_ids],
    }


def _send_summary(topic: Topic) -> str:
    return f"The network publishes these events on {topic.name}; feeds and services receive them."


def _dlq_description(topic: Topic) -> str:
    return (
        f"Records of {topic.name} that a consumer could not apply, parked with the reason in "
        "their headers so the consumer carries on. Nothing reads this topic automatically: an "
        "operator looks, fixes the cause and replays."
    )


def _said(event: type[Event]) -> str:
    """`membership.member_joined` -> "Member joined (membership)."; for events with no docstring."""
    service, _, what = event.name.partition(".")
    return f"{what.replace('_', ' ').capitalize()} ({service})."


def _first_line(text: str | None) -> str:
    return prose(text or "").split("\n\n")[0]


def prose(text: str) -> str:
    """A docstring as paragraphs: lines joined, paragraphs apart by one blank line."""
    paragraphs = (" ".join(paragraph.split()) for paragraph in text.strip().split("\n\n"))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
