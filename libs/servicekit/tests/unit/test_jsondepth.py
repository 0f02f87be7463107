import json

import pytest
from servicekit.jsondepth import json_too_deep


def nested(levels: int, open_: str = "[", close: str = "]") -> str:
    return open_ * levels + close * levels


class TestJsonTooDeep:
    @pytest.mark.parametrize("levels", [0, 1, 63, 64])
    def test_nesting_up_to_the_limit_is_accepted(self, levels: int) -> None:
        assert json_too_deep(nested(levels), 64) is False

    @pytest.mark.parametrize("levels", [65, 1_000, 5_000, 1_000_000])
    def test_nesting_past_the_limit_is_refused(self, levels: int) -> None:
        assert json_too_deep(nested(levels), 64) is True

    def test_objects_and_arrays_count_alike(self) -> None:
        document = json.dumps(json.loads('{"a":' * 33 + "[" * 32 + "]" * 32 + "}" * 33))

        assert json_too_deep(document, 65) is False
        assert json_too_deep(document, 64) is True

    def test_brackets_inside_strings_are_text(self) -> None:
        document = json.dumps({"query": "{ a { b } }" * 500, "variables": {"text": "[" * 500}})

        assert json_too_deep(document, 3) is False

    def test_an_escaped_quote_does_not_end_a_string(self) -> None:
        document = '["a \\" ' + "[" * 100 + '"]'

        assert json_too_deep(document, 2) is False

    def test_an_escaped_backslash_before_a_quote_does_end_a_string(self) -> None:
        document = '["a \\\\", ' + nested(100) + "]"

        assert json_too_deep(document, 64) is True

    def test_many_siblings_are_not_depth(self) -> None:
        document = json.dumps({"items": [{"id": i, "tags": ["x"]} for i in range(10_000)]})  # 4 levels

        assert json_too_deep(document, 4) is False
        assert json_too_deep(document, 3) is True

    def test_unclosed_brackets_count_in_full(self) -> None:
        assert json_too_deep("[" * 100, 64) is True
        assert json_too_deep('{"a":' * 100, 64) is True

    def test_bytes_and_text_get_the_same_answer(self) -> None:
        document = nested(70)

        assert json_too_deep(document.encode(), 64) is json_too_deep(document, 64) is True

    def test_what_python_cannot_parse_is_refused_at_any_sensible_limit(self) -> None:
        document = nested(5_000)
        with pytest.raises(RecursionError):
            json.loads(document)

        assert json_too_deep(document, 64) is True
