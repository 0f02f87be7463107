"""CloudEvents 1.0 envelope in Kafka binary mode: attributes as `ce_*` headers, JSON payload as value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"

Headers = list[tuple[str, bytes]]


class UndecodableMessage(Exception):
    """A Kafka record that is not a valid CloudEvent of ours (missing headers, bad JSON)."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """One event as it travels: CloudEvents attributes plus the JSON payload."""

    id: UUID
    source: str
    type: str
    time: datetime
    key: str
    data: dict[str, Any]
    traceparent: str | None = None

    def headers(self) -> Headers:
        headers: Headers = [
            ("ce_specversion", SPEC_VERSION.encode()),
            ("ce_id", str(self.id).encode()),
            ("ce_source", self.source.encode()),
            ("ce_type", self.type.encode()),
            ("ce_time", self.time.isoformat().encode()),
            ("content-type", CONTENT_TYPE.encode()),
        ]
        if self.traceparent:
            headers.append(("traceparent", self.traceparent.encode()))
        return headers

    def value(self) -> bytes:
        return json.dumps(self.data, separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def from_record(
        cls, *, key: bytes | None, value: bytes | None, headers: Any
    ) -> Envelope:
        """Read an envelope from a Kafka record's parts; raises UndecodableMessage."""
        attrs = {name: raw.decode("utf-8", "replace") for name, raw in headers or ()}
        missing = [
            name
            for name in ("ce_id", "ce_source", "ce_type", "ce_time", "ce_specversion")
            if name not in attrs
        ]
        if missing:
            raise UndecodableMessage(f"missing CloudEvents header(s): {', '.join(missing)}")
        if attrs["ce_specversion"] != SPEC_VERSION:
            raise UndecodableMessage(f"unsupported specversion {attrs['ce_specversion']}")
        if attrs.get("content-type", CONTENT_TYPE) != CONTENT_TYPE:
            raise UndecodableMessage(f"unsupported content-type {attrs['content-type']}")
        try:
            event_id = UUID(attrs["ce_id"])
            time = datetime.fromisoformat(attrs["ce_time"])
        except ValueError as error:
            raise UndecodableMessage(f"bad ce_id or ce_time: {error}") from error
        try:
            data = json.loads(value or b"")
        except (ValueError, UnicodeDecodeError) as error:
            raise UndecodableMessage(f"value is not JSON: {error}") from error
        if not isinstance(data, dict):
            raise UndecodableMessage("value is not a JSON object")
        return cls(
            id=event_id,
            source=attrs["ce_source"],
            type=attrs["ce_type"],
            time=time,
            key=(key or b"").decode("utf-8", "replace"),
            data=data,
            traceparent=attrs.get("traceparent"),
        )
