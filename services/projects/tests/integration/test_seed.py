"""The demo seed: idempotent, and it shows what the demo promises (stages, a partner, PDSA, a shift)."""

import pytest
from projects import demo
from projects import seed as seeding
from projects.settings import get_settings
from servicekit.testing import GraphQLClient, Tokens
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import scalar, stand

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_the_seed_runs_twice_and_builds_the_demo(
    api: GraphQLClient,
    tokens: Tokens,
    engine: AsyncEngine,
    projects_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PROJECTS_DATABASE_URL", projects_url)
    get_settings.cache_clear()
    try:
        assert await seeding.seed() == {}
        assert await seeding.seed() == {}
    finally:
        get_settings.cache_clear()

    assert "seed: 0 project(s) added, 4 already there" in capsys.readouterr().err
    falls = str(demo.demo_id("project:falls-ward-7"))
    assert await scalar(engine, "SELECT count(*) FROM projects WHERE id = :id", id=falls) == 1
    assert demo.NURSE.member_id is not None
    nurse = tokens.mint(demo.NURSE.member_id, demo.RIVERSIDE)
    await stand(engine, demo.NURSE.member_id, demo.RIVERSIDE, status="active", role="hero")  # as membership says
    data = await api.data(
        """query($id: ID!) { project(id: $id) { stage bigI
        team { role } pdsaCycles { number status decision }
        driverDiagram { primaryDrivers { secondaryDrivers { changeIdeas { title } } } }
        measures { chart { assurance signals { rule nature } } } } }""",
        {"id": falls},
        token=nurse,
    )
    project = data["project"]
    assert (project["stage"], project["bigI"]) == ("TESTING", True)
    assert [m["role"] for m in project["team"]] == ["LEAD", "SERVICE_USER_PARTNER", "COACH"]
    assert [(c["number"], c["status"], c["decision"]) for c in project["pdsaCycles"]] == [
        (1, "COMPLETED", "ADAPT"),
        (2, "TESTING", None),
    ]
    assert {"rule": "SHIFT", "nature": "IMPROVEMENT"} in project["measures"][0]["chart"]["signals"]
    stages = await scalar(
        engine,
        "SELECT array_agg(DISTINCT stage ORDER BY stage) FROM projects WHERE id IN "
        "(:a, :b, :c, :d)",
        a=falls,
        b=str(demo.demo_id("project:carers-cafe")),
        c=str(demo.demo_id("project:friendly-calls")),
        d=str(demo.demo_id("project:medicines-discharge")),
    )
    assert stages == ["idea", "implementing", "scoping", "testing"]
