import pytest
from servicekit.errors import InvalidInput
from servicekit.migrations import MESSAGING_UPGRADE, _statements
from servicekit.pagination import build_connection, decode_cursor, encode_cursor, page_size


class TestCursors:
    def test_round_trip(self) -> None:
        assert decode_cursor(encode_cursor(["Riverside", "abc", 3])) == ["Riverside", "abc", 3]

    def test_no_cursor_means_from_the_start(self) -> None:
        assert decode_cursor(None) is None

    @pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", encode_cursor([1])[:-2] + "!!"])
    def test_garbage_is_invalid_input(self, cursor: str) -> None:
        with pytest.raises(InvalidInput):
            decode_cursor(cursor)

    @pytest.mark.parametrize("first", [0, -1, 101])
    def test_page_size_is_bounded(self, first: int) -> None:
        with pytest.raises(InvalidInput):
            page_size(first)


class TestConnection:
    def test_an_extra_item_only_says_there_is_a_next_page(self) -> None:
        connection = build_connection([1, 2, 3], limit=2, cursor_of=lambda n: [n], to_node=str)

        assert [edge.node for edge in connection.edges] == ["1", "2"]
        assert connection.page_info.has_next_page is True
        assert decode_cursor(connection.page_info.end_cursor) == [2]

    def test_last_page(self) -> None:
        connection = build_connection([1], limit=2, cursor_of=lambda n: [n], to_node=str)

        assert connection.page_info.has_next_page is False


class TestMigrationScript:
    def test_function_body_stays_one_statement(self) -> None:
        statements = _statements(MESSAGING_UPGRADE)

        assert len(statements) == 5
        assert statements[2].startswith("CREATE FUNCTION")
        assert statements[2].rstrip().endswith("$$;")
