from datetime import UTC, datetime
from uuid import uuid4

import pytest
from servicekit.envelope import Envelope, UndecodableMessage


def make_envelope(**overrides: object) -> Envelope:
    values: dict[str, object] = {
        "id": uuid4(),
        "source": "/membership",
        "type": "network.heroes.membership.member_joined.v1",
        "time": datetime(2026, 3, 4, 9, 30, tzinfo=UTC),
        "key": "k-1",
        "data": {"member_id": "m-1", "count": 3},
    }
    values.update(overrides)
    return Envelope(**values)  # type: ignore[arg-type]


class TestKafkaBinaryMode:
    def test_headers_carry_every_required_cloudevents_attribute(self) -> None:
        envelope = make_envelope()

        headers = dict(envelope.headers())

        assert headers == {
            "ce_specversion": b"1.0",
            "ce_id": str(envelope.id).encode(),
            "ce_source": b"/membership",
            "ce_type": b"network.heroes.membership.member_joined.v1",
            "ce_time": b"2026-03-04T09:30:00+00:00",
            "content-type": b"application/json",
        }

    def test_traceparent_travels_only_when_present(self) -> None:
        trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

        headers = dict(make_envelope(traceparent=trace).headers())

        assert headers["traceparent"] == trace.encode()

    def test_record_round_trips_to_the_same_envelope(self) -> None:
        envelope = make_envelope()

        decoded = Envelope.from_record(
            key=envelope.key.encode(), value=envelope.value(), headers=envelope.headers()
        )

        assert decoded == envelope


class TestUndecodable:
    def test_missing_headers_are_named(self) -> None:
        with pytest.raises(UndecodableMessage, match="ce_type"):
            Envelope.from_record(key=b"k", value=b"{}", headers=[("ce_id", str(uuid4()).encode())])

    def test_value_that_is_not_json_is_refused(self) -> None:
        envelope = make_envelope()

        with pytest.raises(UndecodableMessage, match="not JSON"):
            Envelope.from_record(key=b"k", value=b"{not json", headers=envelope.headers())

    def test_json_that_is_not_an_object_is_refused(self) -> None:
        envelope = make_envelope()

        with pytest.raises(UndecodableMessage, match="object"):
            Envelope.from_record(key=b"k", value=b"[1, 2]", headers=envelope.headers())

    def test_other_spec_versions_are_refused(self) -> None:
        headers = [(k, b"0.3" if k == "ce_specversion" else v) for k, v in make_envelope().headers()]

        with pytest.raises(UndecodableMessage, match="specversion"):
            Envelope.from_record(key=b"k", value=b"{}", headers=headers)
