"""The AsyncAPI builder describes the events it is given as the envelope and consumer send them."""

import inspect
import re
from datetime import date, datetime
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any, ClassVar, Literal
from uuid import UUID

import pytest
from pydantic import Field
from servicekit import consumer
from servicekit.asyncapi import (
    DEAD_LETTER_REASONS,
    DocumentError,
    Examples,
    Topic,
    build_document,
    cloudevents_headers_schema,
    dead_letter_headers_schema,
    example_headers,
    example_payload,
    prose,
)
from servicekit.asyncapi_page import render_page
from servicekit.envelope import Envelope
from servicekit.events import Event


class Colour(StrEnum):
    """What colour a thing is painted."""

    RED = "red"
    BLUE = "blue"


class ThingEvent(Event):
    topic: ClassVar[str] = "things.events.v1"
    source: ClassVar[str] = "/things"


class ThingPainted(ThingEvent):
    """A thing was painted.

    Sent once per coat.
    """

    name: ClassVar[str] = "things.thing_painted"
    thing_id: UUID
    owner_id: UUID | None
    colour: Colour
    coats: int
    painted_on: date
    painted_at: datetime


class ThingLabelled(ThingEvent):
    name: ClassVar[str] = "things.thing_labelled"
    thing_id: UUID
    label: str = Field(examples=["fragile"])
    kind: Literal["paper", "metal"]
    labelled_at: datetime


class ThingNamed(ThingEvent):
    name: ClassVar[str] = "things.thing_named"
    owner_id: UUID
    thing_id: UUID
    nickname: str


THINGS = Topic(
    name="things.events.v1",
    partitions=3,
    description="Things that happen to things.",
    key_fields=("owner_id", "thing_id"),
    replicas=3,
    config={"min.insync.replicas": "2"},
    dlq_partitions=1,
    dlq_config={"retention.ms": "1000"},
)
EXAMPLES = Examples(by_field={"coats": 2}, by_event={"things.thing_named": {"nickname": "Rusty"}})


def document(*events: type[Event], examples: Examples = EXAMPLES) -> dict[str, Any]:
    return build_document(
        title="Things",
        version="1.0.0",
        description="About things.",
        document_id="urn:things",
        topics=[THINGS],
        events=events or (ThingPainted, ThingLabelled, ThingNamed),
        examples=examples,
    )


class TestDocument:
    def test_each_topic_and_its_dlq_is_a_channel_with_its_kafka_binding(self) -> None:
        channels = document()["channels"]

        assert list(channels) == ["things.events.v1", "things.events.v1.dlq"]
        assert channels["things.events.v1"]["bindings"]["kafka"] == {
            "topic": "things.events.v1",
            "partitions": 3,
            "replicas": 3,
            "topicConfiguration": {"min.insync.replicas": 2},
            "bindingVersion": "0.5.0",
        }
        assert channels["things.events.v1.dlq"]["bindings"]["kafka"]["partitions"] == 1
        assert channels["things.events.v1"]["messages"] == {
            name: {"$ref": f"#/components/messages/{name}"}
            for name in (
                "things.thing_painted.v1",
                "things.thing_labelled.v1",
                "things.thing_named.v1",
            )
        }

    def test_a_payload_schema_refers_to_its_enums_in_components(self) -> None:
        schemas = document()["components"]["schemas"]

        painted = schemas["things.thing_painted.v1"]
        assert painted["properties"]["colour"] == {"$ref": "#/components/schemas/Colour"}
        assert schemas["Colour"]["enum"] == ["red", "blue"]
        assert painted["description"].startswith("A thing was painted.\n\nSent once per coat.\n\n")
        assert "title" not in painted["properties"]["thing_id"]

    def test_headers_pin_the_source_and_type_of_each_message(self) -> None:
        message = document()["components"]["messages"]["things.thing_painted.v1"]

        assert message["headers"]["allOf"][0] == {"$ref": "#/components/schemas/CloudEventsHeaders"}
        assert message["headers"]["allOf"][1]["properties"] == {
            "ce_source": {"type": "string", "const": "/things"},
            "ce_type": {"type": "string", "const": "network.heroes.things.thing_painted.v1"},
        }
        assert message["summary"] == "A thing was painted."

    def test_the_key_is_the_first_key_field_an_event_sets(self) -> None:
        messages = document()["components"]["messages"]
        painted = messages["things.thing_painted.v1"]["bindings"]["kafka"]["key"]
        named = messages["things.thing_named.v1"]["bindings"]["kafka"]["key"]

        # owner_id may be null on ThingPainted, so its key falls back to thing_id.
        assert painted["description"].startswith(
            "The aggregate id: the event's `owner_id`, else `thing_id`."
        )
        assert named["description"].startswith("The aggregate id: the event's `owner_id`.")
        assert painted["examples"] == [
            messages["things.thing_painted.v1"]["examples"][0]["payload"]["owner_id"]
        ]

    def test_an_event_on_a_topic_not_described_is_refused(self) -> None:
        class Stray(Event):
            topic: ClassVar[str] = "stray.events.v1"
            source: ClassVar[str] = "/stray"
            name: ClassVar[str] = "stray.wandered"

        with pytest.raises(DocumentError, match=r"Stray publishes on stray\.events\.v1"):
            document(ThingPainted, Stray)


class TestExamples:
    def test_values_come_from_types_hints_and_the_models_own_examples(self) -> None:
        painted = example_payload(ThingPainted, EXAMPLES)
        labelled = example_payload(ThingLabelled, EXAMPLES)

        assert painted == {
            "thing_id": painted["thing_id"],
            "owner_id": painted["owner_id"],
            "colour": "red",
            "coats": 2,
            "painted_on": "2025-03-04",
            "painted_at": "2025-03-04T09:30:00Z",
        }
        assert labelled["label"] == "fragile"
        assert labelled["kind"] == "paper"
        assert labelled["thing_id"] == painted["thing_id"]  # one id per field name, everywhere
        assert example_payload(ThingPainted, EXAMPLES) == painted

    def test_a_plain_string_without_an_example_is_an_error_that_says_what_to_do(self) -> None:
        with pytest.raises(DocumentError, match=r"ThingNamed\.nickname .*Field\(examples="):
            example_payload(ThingNamed, Examples())

    def test_example_headers_are_what_the_envelope_writes(self) -> None:
        headers = example_headers(ThingPainted, example_payload(ThingPainted, EXAMPLES))

        assert headers["ce_type"] == "network.heroes.things.thing_painted.v1"
        assert headers["ce_source"] == "/things"
        envelope = Envelope.from_record(
            key=b"k",
            value=b"{}",
            headers=[(name, value.encode()) for name, value in headers.items()],
        )
        assert envelope.type == headers["ce_type"]


class TestHeadersMatchTheCode:
    def test_the_cloudevents_schema_names_every_header_the_envelope_writes(self) -> None:
        envelope = Envelope(
            id=UUID(int=1),
            source="/s",
            type="t",
            time=datetime.fromisoformat("2025-01-01T00:00:00+00:00"),
            key="k",
            data={},
            traceparent="00-" + "a" * 32 + "-" + "b" * 16 + "-01",
        )
        schema = cloudevents_headers_schema()

        assert [name for name, _ in envelope.headers()] == list(schema["properties"])
        assert set(schema["required"]) == set(schema["properties"]) - {"traceparent"}

    def test_the_dead_letter_schema_names_every_header_and_reason_the_consumer_writes(self) -> None:
        source = inspect.getsource(consumer)
        schema = dead_letter_headers_schema()

        assert re.findall(r'\("(dlq_\w+)"', source) == list(schema["properties"])
        assert set(re.findall(r'_PermanentFailure\(\s*"(\w+)"', source)) == set(DEAD_LETTER_REASONS)


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


class TestPage:
    def test_the_page_is_plain_html_with_one_title_and_labelled_tables(self) -> None:
        html = render_page(document(), yaml_href="asyncapi.yaml", json_href="asyncapi.json")
        page = Page()
        page.feed(html)
        tags = [tag for tag, _ in page.tags]

        assert html.startswith('<!doctype html>\n<html lang="en">')
        assert tags.count("h1") == 1
        assert tags.count("table") == tags.count("caption") > 0
        assert "script" not in tags
        assert "img" not in tags
        links = {attrs.get("href") for tag, attrs in page.tags if tag == "a"}
        assert not {href for href in links if href and not href.startswith(("#", "asyncapi."))}
        ids = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
        assert {href[1:] for href in links if href and href.startswith("#")} <= ids

    def test_text_from_the_document_is_escaped(self) -> None:
        built = document()
        built["info"]["description"] = "Use <b>care</b> & `code`."

        html = render_page(built, yaml_href="a.yaml", json_href="a.json")

        assert "<p>Use &lt;b&gt;care&lt;/b&gt; &amp; <code>code</code>.</p>" in html


def test_prose_joins_lines_and_keeps_paragraphs() -> None:
    assert prose("  One\n  line.\n\n  Two\n\n\n") == "One line.\n\nTwo"
