"""infra/asyncapi.yaml is the network's event contract for feed builders: generated from the event
classes, valid by the official AsyncAPI parser, and with examples the events themselves accept."""

import functools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from devstack import asyncapi
from devstack.npm import NpmUnavailable, installed
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from servicekit.events import EventRegistry
from servicekit.kafka import load_topics

REPO = Path(__file__).resolve().parents[1]
INFRA = REPO / "infra"
PARSER_PACKAGE = INFRA / "asyncapi"
DOCUMENT: dict[str, Any] = yaml.safe_load((INFRA / "asyncapi.yaml").read_text())
EVENTS = asyncapi.network_events(asyncapi.event_modules())
MESSAGES: dict[str, Any] = DOCUMENT["components"]["messages"]
ERROR = 0  # Spectral's severities: 0 error, 1 warning, 2 information, 3 hint


@functools.cache
def parser_directory() -> Path:
    """The pinned @asyncapi/parser (infra/asyncapi/package-lock.json), installed once, with the
    script that runs it beside it (Node resolves the package from the script's own folder)."""
    directory = installed(
        PARSER_PACKAGE,
        "asyncapi-parser",
        label="the AsyncAPI parser",
        expect="node_modules/@asyncapi/parser/package.json",
    )
    shutil.copyfile(PARSER_PACKAGE / "validate.mjs", directory / "validate.mjs")
    return directory


def parse(path: Path) -> dict[str, Any]:
    """What the official parser says about the document at `path`."""
    node = shutil.which("node")
    if node is None:
        raise NpmUnavailable("`node` is not on PATH: the AsyncAPI check needs Node.js 20 or later.")
    done = subprocess.run(  # noqa: S603 - node found on PATH, our own script
        [node, "validate.mjs", str(path)],
        cwd=parser_directory(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def errors(result: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, d['path']))}: {d['message']} ({d['code']})"
        for d in result["diagnostics"]
        if d["severity"] == ERROR
    ]


class TestGenerated:
    @pytest.mark.parametrize("name", asyncapi.FILES)
    def test_the_checked_in_file_is_what_the_event_classes_give(self, name: str) -> None:
        wanted = asyncapi.render()[name]
        checked_in = (INFRA / name).read_text(encoding="utf-8")

        assert checked_in == wanted, (
            f"infra/{name} is out of date with the event classes: run "
            f"`.venv/bin/{asyncapi.COMMAND}` and commit the result"
        )

    def test_the_json_and_yaml_are_one_document(self) -> None:
        assert json.loads((INFRA / "asyncapi.json").read_text()) == DOCUMENT

    def test_every_event_class_is_a_message_of_its_topic(self) -> None:
        assert len(EVENTS) > 30
        for event in EVENTS:
            channel = DOCUMENT["channels"][event.topic]
            message_id = event.ce_type().removeprefix("network.heroes.")
            assert message_id in channel["messages"], event.__name__
            assert MESSAGES[message_id]["headers"]["allOf"][1]["properties"]["ce_type"] == {
                "type": "string",
                "const": event.ce_type(),
            }

    def test_topics_partitions_and_dlqs_are_those_of_topics_toml(self) -> None:
        declared = {spec.name: spec.partitions for spec in load_topics(INFRA / "topics.toml")}
        described = {
            channel["address"]: channel["bindings"]["kafka"]["partitions"]
            for channel in DOCUMENT["channels"].values()
        }

        assert described == declared
        assert {
            "membership.events.v1.dlq",
            "projects.events.v1.dlq",
            "recognition.events.v1.dlq",
        } <= set(described)


class TestOfficialParser:
    def test_the_document_is_valid_asyncapi_3(self) -> None:
        result = parse(INFRA / "asyncapi.yaml")

        assert errors(result) == []
        assert result["parsed"] is True
        assert result["version"] == "3.0.0"

    def test_the_check_catches_a_broken_document(self, tmp_path: Path) -> None:
        broken = json.loads(json.dumps(DOCUMENT))
        broken["channels"]["recognition.events.v1"]["bindings"]["kafka"]["partitions"] = "six"
        del broken["components"]["messages"]["recognition.kudos_given.v1"]
        (tmp_path / "broken.yaml").write_text(yaml.safe_dump(broken))

        found = errors(parse(tmp_path / "broken.yaml"))

        assert any("partitions" in line for line in found)
        assert any("kudos_given" in line for line in found)


def validator(pointer: str) -> Draft7Validator:
    """A validator for the schema at `pointer` in the document, its references resolved there."""
    registry: Registry[Any] = Registry().with_resource(
        "urn:asyncapi", Resource.from_contents(DOCUMENT, default_specification=DRAFT7)
    )
    return Draft7Validator(
        {"$ref": f"urn:asyncapi#{pointer}"},
        registry=registry,
        format_checker=Draft7Validator.FORMAT_CHECKER,
    )


class TestExamples:
    @pytest.mark.parametrize("message_id", sorted(MESSAGES))
    def test_each_example_fits_its_message(self, message_id: str) -> None:
        message = MESSAGES[message_id]
        [example] = message["examples"]
        base = f"/components/messages/{message_id}"

        assert list(validator(f"{base}/headers").iter_errors(example["headers"])) == []
        assert list(validator(f"{base}/payload").iter_errors(example["payload"])) == []
        key = message["bindings"]["kafka"]["key"]
        assert (
            list(validator(f"{base}/bindings/kafka/key").iter_errors(key.get("examples", ["k"])[0]))
            == []
        )

    def test_each_example_is_an_event_the_consumers_accept(self) -> None:
        registry = EventRegistry(EVENTS)
        for event in EVENTS:
            [example] = MESSAGES[event.ce_type().removeprefix("network.heroes.")]["examples"]
            decoded = registry.decode(example["headers"]["ce_type"], example["payload"])
            assert type(decoded) is event
            assert decoded.to_payload() == example["payload"]

    def test_a_wrong_example_would_be_caught(self) -> None:
        celebration = MESSAGES["recognition.celebration_posted.v1"]
        wrong = {**celebration["examples"][0]["payload"], "shared_with": "everyone"}
        headers = {**celebration["examples"][0]["headers"], "ce_type": "network.heroes.other.v1"}
        base = "/components/messages/recognition.celebration_posted.v1"

        assert list(validator(f"{base}/payload").iter_errors(wrong)) != []
        assert list(validator(f"{base}/headers").iter_errors(headers)) != []
