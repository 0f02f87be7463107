"""The checked-in SDL is what the subgraph serves; regenerate with `python -m servicekit.sdl recognition`."""

from servicekit.sdl import sdl_file, sdl_of


def test_checked_in_sdl_matches_the_schema() -> None:
    assert sdl_file("recognition").read_text() == sdl_of("recognition"), (
        "recognition.graphql is out of date: run `.venv/bin/python -m servicekit.sdl recognition`"
    )
