"""infra/k8s renders, for both overlays, into objects Kubernetes accepts, and every process in
them is given the settings it reads and production needs.

No cluster is needed. Rendering: `kubectl kustomize` when kubectl is on PATH (its built-in kustomize
v5), else kustomize KUSTOMIZE_VERSION built once with Go into the checkout's cache
(HEROES_KUSTOMIZE=pinned forces that). Validation: kubernetes-validate (pinned in requirements),
which ships the Kubernetes API's JSON schemas, strictly (unknown fields are errors), for each of
KUBERNETES_VERSIONS.
"""

from __future__ import annotations

import base64
import fcntl
import functools
import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml
from devstack.servers import TOPICS_FILE, cache_root
from devstack.services import PORTAL_APP, REPO
from pydantic import SecretStr
from pydantic_settings import BaseSettings
from servicekit.kafka import load_topics
from servicekit.settings import NetworkSettings, settings_for

K8S = REPO / "infra" / "k8s"
OVERLAYS = ("local", "production")
# The oldest Kubernetes we support and the newest kubernetes-validate 1.37.0 knows.
KUBERNETES_VERSIONS = ("1.30", "1.37")
# Built with Go when kubectl is missing. v5.8.2 and later need Go 1.27; the machines have 1.26.
KUSTOMIZE_VERSION = "v5.8.1"
KUSTOMIZE_MODULE = "sigs.k8s.io/kustomize/kustomize/v5"
DOMAIN_SERVICES = ("membership", "projects", "recognition")
Object = dict[str, Any]


# --- rendering ------------------------------------------------------------------------------------


def kustomize_command() -> list[str]:
    """How to render a kustomization directory (the directory is appended)."""
    kubectl = shutil.which("kubectl")
    if (
        kubectl
        and os.environ.get("HEROES_KUSTOMIZE") != "pinned"
        and _kubectl_has_kustomize_v5(kubectl)
    ):
        return [kubectl, "kustomize"]
    return [str(pinned_kustomize()), "build"]


def _kubectl_has_kustomize_v5(kubectl: str) -> bool:
    done = subprocess.run(  # noqa: S603 - kubectl found on PATH, fixed arguments
        [kubectl, "version", "--client", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    try:
        version = json.loads(done.stdout).get("kustomizeVersion", "")
    except json.JSONDecodeError:
        return False
    return re.match(r"v(\d+)\.", version) is not None and int(version[1:].split(".")[0]) >= 5


def pinned_kustomize() -> Path:
    """kustomize KUSTOMIZE_VERSION, built with `go install` the first time (a minute or two)."""
    target = cache_root() / "kustomize" / KUSTOMIZE_VERSION
    binary = target / "kustomize"
    if binary.exists():
        return binary
    go = shutil.which("go") or "/usr/local/go/bin/go"
    if not Path(go).exists():
        pytest.fail(
            "Rendering infra/k8s needs kubectl, or Go to build kustomize: neither was found."
        )
    target.mkdir(parents=True, exist_ok=True)
    with (target.parent / f"{KUSTOMIZE_VERSION}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test runs of one checkout build it once
        if not binary.exists():
            env = {**os.environ, "GOBIN": str(target), "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"}
            done = subprocess.run(  # noqa: S603 - Go found above, fixed arguments
                [go, "install", f"{KUSTOMIZE_MODULE}@{KUSTOMIZE_VERSION}"],
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            if done.returncode != 0:
                pytest.fail(f"building kustomize {KUSTOMIZE_VERSION} failed:\n{done.stderr}")
    return binary


@functools.cache
def rendered(overlay: str) -> tuple[Object, ...]:
    """The objects `overlay` renders to. Production's secrets come from their *.example files (in a
    copy of infra/k8s), so the real ones, where present, are never read."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "k8s"
        shutil.copytree(K8S, copy, ignore=shutil.ignore_patterns("*.env", "*.pem"))
        for example in (copy / "overlays").glob("*/secrets/*.example"):
            shutil.copyfile(example, example.with_suffix(""))
        done = subprocess.run(  # noqa: S603 - our own command line
            [*kustomize_command(), str(copy / "overlays" / overlay)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, f"rendering {overlay} failed:\n{done.stderr}"
    return tuple(doc for doc in yaml.safe_load_all(done.stdout) if doc)


def of_kind(objects: tuple[Object, ...], kind: str) -> dict[str, Object]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def workloads(objects: tuple[Object, ...]) -> dict[str, Object]:
    return {
        **of_kind(objects, "Deployment"),
        **of_kind(objects, "StatefulSet"),
        **of_kind(objects, "Job"),
    }


def containers(objects: tuple[Object, ...]) -> list[tuple[str, Object]]:
    return [
        (name, container)
        for name, workload in workloads(objects).items()
        for container in workload["spec"]["template"]["spec"]["containers"]
    ]


def is_ours(container: Object) -> bool:
    return image_name(container).startswith("heroes-")


def image_name(container: Object) -> str:
    image: str = container["image"]
    return image.rsplit("/", 1)[-1].split(":")[0]


def argv(container: Object) -> list[str]:
    return [*container.get("command", []), *container.get("args", [])]


def port_number(container: Object, port: int | str) -> int:
    if isinstance(port, int):
        return port
    [number] = [p["containerPort"] for p in container.get("ports", []) if p.get("name") == port]
    return int(number)


# --- which process a container runs ---------------------------------------------------------------


@dataclass(frozen=True)
class Process:
    kind: str  # api, relay, consumer, gateway, portal, init
    service: str  # the service whose code runs (init: the empty string)


def process_of(container: Object) -> Process:
    """What process a container of ours runs, read from its command line."""
    args = argv(container)
    if args[0] == "uvicorn":
        module = args[1].partition(":")[0]
        top = module.split(".")[0]
        return Process("api", top) if module == f"{top}.api" else Process(top, top)
    assert args[:2] == ["python", "-m"], f"unexpected command {args}"
    if args[2] == "servicekit.relay":
        return Process("relay", args[3])
    if args[2].endswith(".consumers"):
        return Process("consumer", args[2].split(".")[0])
    assert args[2:4] == ["devstack", "prepare"], f"unexpected command {args}"
    return Process("init", "")


# --- the settings each process reads --------------------------------------------------------------

# ServiceSettings fields that fall back to a NetworkSettings field of another name.
NETWORK_FIELD = {"kafka_bootstrap": "kafka_bootstrap_servers"}
# What `devstack prepare` (the init job) reads from the environment itself.
INIT_READS = ("HEROES_DATABASE_URL", "HEROES_KAFKA_BOOTSTRAP_SERVERS")
# Read with os.environ by servicekit.graphiql.
ALSO_READ = {"HEROES_GRAPHIQL_ASSETS_DIR"}
IDENTITY = {"gateway_secret", "jwt_issuer", "jwt_audience", "jwks_file", "jwks_url", "public_url"}
# Settings a kind of process has (its class inherits them) but never uses.
UNUSED: dict[str, set[str]] = {
    "consumer": IDENTITY,  # consumers check no tokens and link nowhere
    "gateway": {"database_url", "kafka_bootstrap"},  # "The gateway uses no database and no Kafka"
}
RELAY_USES = {"database_url", "kafka_bootstrap", "log_level"}  # servicekit.relay._main
# Optional settings production still needs (each tuple: any one of them), beyond those derived from
# the classes (no default, or a default that only works on a developer's machine).
MUST_SET: dict[Process | str, list[tuple[str, ...]]] = {
    # Without a key set nobody can sign in (servicekit.app.token_verifier: identity.not_configured).
    "api": [("jwks_file", "jwks_url")],
    "gateway": [("jwks_file", "jwks_url")],
    # Open Badges: certificates link to the public address and are signed with this key.
    Process("api", "recognition"): [("public_url",), ("badge_signing_key_file",)],
    # These manifests probe consumers on that port.
    "consumer": [("consumer_probe_port",)],
    # People need an identity provider to sign in (portal.organisations.load_organisations).
    "portal": [("oidc_issuer_url", "organisations_file")],
}
# A setting another one can stand in for (the gateway's subgraphs from a file, or a supergraph).
ALTERNATIVES = {"subgraphs": ("subgraphs_file", "supergraph_file")}


def settings_class(process: Process) -> type[BaseSettings]:
    if process.kind == "relay":
        return type(settings_for(process.service))
    cls: type[BaseSettings] = importlib.import_module(f"{process.service}.settings").Settings
    return cls


def env_names(cls: type[BaseSettings], field: str) -> tuple[str, ...]:
    """The variables that set `field` of `cls`: its own, then the `HEROES_*` one behind it."""
    own = f"{cls.model_config.get('env_prefix', '')}{field}".upper()
    network = NETWORK_FIELD.get(field, field)
    if (
        cls is not NetworkSettings
        and cls.model_fields[field].default is None
        and network in NetworkSettings.model_fields
    ):
        return own, f"HEROES_{network}".upper()
    return (own,)


def effective_default(cls: type[BaseSettings], field: str) -> object:
    """What `field` is when no variable sets it: its default, or the network field's behind it."""
    names = env_names(cls, field)
    if len(names) == 2:
        network = names[1].removeprefix("HEROES_").lower()
        return NetworkSettings.model_fields[network].get_default(call_default_factory=True)
    return cls.model_fields[field].get_default(call_default_factory=True)


def works_only_on_a_developers_machine(value: object) -> bool:
    """An empty value (a secret nobody set, no subgraphs) or an address on this machine or under
    .local: the defaults that let `make run` start, and that a pod must never run with."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if not isinstance(value, str):
        return False
    if value == "":
        return True
    if "://" in value:
        hosts = [urlsplit(value).hostname or ""]
    elif re.fullmatch(r"[\w.-]+:\d+(,[\w.-]+:\d+)*", value):
        hosts = [server.rsplit(":", 1)[0] for server in value.split(",")]
    else:
        return False
    return any(
        host in ("127.0.0.1", "localhost", "::1") or host.endswith(".local") for host in hosts
    )


def used_fields(process: Process, cls: type[BaseSettings]) -> set[str]:
    if process.kind == "relay":
        return RELAY_USES
    return set(cls.model_fields) - UNUSED.get(process.kind, set())


def required_variables(process: Process) -> list[tuple[str, ...]]:
    """Each tuple: variables of which a container running `process` must set at least one."""
    if process.kind == "init":
        return [(name,) for name in INIT_READS]
    cls = settings_class(process)
    used = used_fields(process, cls)
    groups: list[tuple[str, ...]] = []
    for field in sorted(used):
        info = cls.model_fields[field]
        if info.is_required() or works_only_on_a_developers_machine(effective_default(cls, field)):
            groups.append((field, *ALTERNATIVES.get(field, ())))
    groups += MUST_SET.get(process.kind, []) + MUST_SET.get(process, [])
    return [tuple(name for field in group for name in env_names(cls, field)) for group in groups]


def readable_variables(process: Process) -> set[str]:
    """Every variable of our prefixes that the process reads."""
    names = {
        name for field in NetworkSettings.model_fields for name in env_names(NetworkSettings, field)
    }
    names |= ALSO_READ
    if process.kind != "init":
        cls = settings_class(process)
        names |= {name for field in cls.model_fields for name in env_names(cls, field)}
    return names


def our_prefixes() -> tuple[str, ...]:
    classes = [settings_class(Process("api", s)) for s in DOMAIN_SERVICES]
    classes += [
        settings_class(Process("gateway", "gateway")),
        settings_class(Process("portal", "portal")),
    ]
    return ("HEROES_", *(str(cls.model_config["env_prefix"]) for cls in classes))


def container_env(container: Object, objects: tuple[Object, ...]) -> dict[str, str]:
    """The container's environment as Kubernetes builds it: envFrom in order, then env."""
    sources: dict[str, dict[str, dict[str, str]]] = {
        "configMap": {
            name: dict(o.get("data", {})) for name, o in of_kind(objects, "ConfigMap").items()
        },
        "secret": {
            name: {
                **{k: base64.b64decode(v).decode() for k, v in o.get("data", {}).items()},
                **o.get("stringData", {}),
            }
            for name, o in of_kind(objects, "Secret").items()
        },
    }
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        [(kind, ref)] = [(k.removesuffix("Ref"), v) for k, v in source.items() if k.endswith("Ref")]
        assert ref["name"] in sources[kind], (
            f"envFrom names {kind} {ref['name']}, which is not rendered"
        )
        env |= {source.get("prefix", "") + k: v for k, v in sources[kind][ref["name"]].items()}
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
            continue
        [(kind, ref)] = [(k.removesuffix("KeyRef"), v) for k, v in item["valueFrom"].items()]
        env[item["name"]] = sources[kind][ref["name"]][ref["key"]]
    return env


def missing_settings(objects: tuple[Object, ...], *, production: bool = False) -> list[str]:
    """What each of our containers lacks of the settings it needs. In `production`, a value that
    only works on a developer's machine (an address on the pod itself, a .local host) counts as
    unset."""
    problems = []
    for workload, container in containers(objects):
        if not is_ours(container):
            continue
        env = container_env(container, objects)
        for group in required_variables(process_of(container)):
            values = [env[name] for name in group if env.get(name)]
            if not values or (
                production and all(works_only_on_a_developers_machine(v) for v in values)
            ):
                problems.append(f"{workload}: set {' or '.join(group)}")
    return problems


# --- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
class TestSchemas:
    def test_every_object_is_valid_for_that_kubernetes(self, overlay: str, version: str) -> None:
        problems = []
        for obj in rendered(overlay):
            where = f"{obj['kind']}/{obj['metadata']['name']}"
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                path = ".".join(str(p) for p in error.path)
                problems.append(f"{where}: {path}: {error.message}")
            except kubernetes_validate.SchemaNotFoundError as error:
                problems.append(f"{where}: {error.message}")
        assert problems == []


class TestValidationBites:
    def test_a_misspelt_field_is_refused(self) -> None:
        deployment = json.loads(
            json.dumps(of_kind(rendered("production"), "Deployment")["gateway"])
        )
        deployment["spec"]["replica"] = 2

        with pytest.raises(kubernetes_validate.ValidationError, match="'replica' was unexpected"):
            kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[0], strict=True)

    def test_an_api_version_that_kubernetes_no_longer_serves_is_refused(self) -> None:
        autoscaler = json.loads(
            json.dumps(of_kind(rendered("production"), "HorizontalPodAutoscaler")["gateway"])
        )
        autoscaler["apiVersion"] = "autoscaling/v2beta2"  # removed in Kubernetes 1.26

        with pytest.raises(kubernetes_validate.SchemaNotFoundError):
            kubernetes_validate.validate(autoscaler, KUBERNETES_VERSIONS[0], strict=True)

    def test_the_settings_check_notices_a_development_value_in_production(self) -> None:
        objects = rendered("production")
        [config] = [
            o
            for name, o in of_kind(objects, "ConfigMap").items()
            if name.startswith("portal-config-")
        ]
        local = {
            **config,
            "data": {**config["data"], "PORTAL_GATEWAY_URL": "http://127.0.0.1:8000/graphql"},
        }
        broken = tuple(local if o is config else o for o in objects)

        assert missing_settings(broken, production=True) == ["portal: set PORTAL_GATEWAY_URL"]
        assert missing_settings(broken) == []

    def test_the_settings_check_notices_a_missing_variable(self) -> None:
        objects = rendered("production")
        [config] = [
            o
            for name, o in of_kind(objects, "ConfigMap").items()
            if name.startswith("heroes-config-")
        ]
        without = {
            **config,
            "data": {
                k: v for k, v in config["data"].items() if k != "HEROES_KAFKA_BOOTSTRAP_SERVERS"
            },
        }
        broken = tuple(without if o is config else o for o in objects)

        expected = [
            f"{service}-{part}: set {service.upper()}_KAFKA_BOOTSTRAP"
            " or HEROES_KAFKA_BOOTSTRAP_SERVERS"
            for service in DOMAIN_SERVICES
            for part in ("api", "relay", "consumer")
            if (service, part) != ("membership", "consumer")
        ]
        assert sorted(missing_settings(broken)) == sorted(
            [*expected, "heroes-init: set HEROES_KAFKA_BOOTSTRAP_SERVERS"]
        )


@pytest.mark.parametrize("overlay", OVERLAYS)
class TestSettings:
    def test_every_process_gets_the_settings_production_needs(self, overlay: str) -> None:
        assert missing_settings(rendered(overlay), production=overlay == "production") == []

    def test_every_variable_given_is_one_the_process_reads(self, overlay: str) -> None:
        objects = rendered(overlay)
        prefixes = our_prefixes()
        unread = []
        for workload, container in containers(objects):
            if not is_ours(container):
                continue
            readable = readable_variables(process_of(container))
            unread += [
                f"{workload}: {name}"
                for name in container_env(container, objects)
                if name.startswith(prefixes) and name not in readable
            ]
        assert unread == []

    def test_probes_ask_the_port_the_process_serves_them_on(self, overlay: str) -> None:
        objects = rendered(overlay)
        wrong = []
        for workload, container in containers(objects):
            if not is_ours(container) or process_of(container).kind == "init":
                continue
            process, args = process_of(container), argv(container)
            if process.kind == "relay":
                serves = int(args[args.index("--probe-port") + 1])
            elif process.kind == "consumer":
                serves = int(
                    container_env(container, objects)[
                        f"{process.service.upper()}_CONSUMER_PROBE_PORT"
                    ]
                )
            else:
                serves = int(args[args.index("--port") + 1])
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                if (
                    probe in container
                    and port_number(container, container[probe]["httpGet"]["port"]) != serves
                ):
                    wrong.append(f"{workload} {probe}")
            paths = {container[p]["httpGet"]["path"] for p in ("livenessProbe", "readinessProbe")}
            if (
                paths != {"/healthz", "/readyz"}
                or container["readinessProbe"]["httpGet"]["path"] != "/readyz"
            ):
                wrong.append(f"{workload}: liveness on /healthz, readiness on /readyz")
        assert wrong == []


def _another_value(field: str) -> str:
    """A valid value for a NetworkSettings field that differs from its default."""
    info = NetworkSettings.model_fields[field]
    if typing.get_origin(info.annotation) is typing.Literal:
        return next(str(v) for v in typing.get_args(info.annotation) if v != info.default)
    if info.annotation in (int, float):
        return str(int(info.default or 0) + 7)
    return "https://elsewhere.example/x"


def test_fallbacks_are_the_network_settings_servicekit_fills_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in list(os.environ):
        if name.startswith(our_prefixes()):
            monkeypatch.delenv(name)
    cls = settings_class(Process("relay", "membership"))
    before = cls()
    for field in NetworkSettings.model_fields:
        monkeypatch.setenv(f"HEROES_{field}".upper(), _another_value(field))
    after = cls()

    changed = {
        field for field in cls.model_fields if getattr(before, field) != getattr(after, field)
    }
    assert changed == {field for field in cls.model_fields if len(env_names(cls, field)) == 2}


@pytest.mark.parametrize("overlay", OVERLAYS)
class TestWorkloads:
    def test_every_command_names_real_code(self, overlay: str) -> None:
        for _, container in containers(rendered(overlay)):
            if not is_ours(container):
                continue
            args = argv(container)
            if args[0] == "uvicorn":
                module, _, factory = args[1].partition(":")
                assert callable(getattr(importlib.import_module(module), factory)), args
                assert args[args.index("--host") + 1] == "0.0.0.0"  # noqa: S104 - reached from other pods
            else:
                assert importlib.util.find_spec(args[2]) is not None, args

    def test_each_image_is_its_services_and_tagged_by_the_overlay(self, overlay: str) -> None:
        for workload, container in containers(rendered(overlay)):
            if not is_ours(container):
                continue
            process = process_of(container)
            # compose builds the init job from the gateway image.
            assert image_name(container) == f"heroes-{process.service or 'gateway'}", workload
            name, _, tag = container["image"].rpartition(":")
            assert tag, container["image"]
            assert tag != "latest", container["image"]
            assert "/" not in tag, container["image"]
            if overlay == "production":
                assert "." in name.split("/")[0], f"{container['image']} names no registry"

    def test_every_api_is_autoscaled_on_cpu_it_requests(self, overlay: str) -> None:
        objects = rendered(overlay)
        deployments = of_kind(objects, "Deployment")
        autoscaled = {
            hpa["spec"]["scaleTargetRef"]["name"]: hpa
            for hpa in of_kind(objects, "HorizontalPodAutoscaler").values()
        }
        expected = {f"{s}-api" for s in DOMAIN_SERVICES} | {"gateway", "portal"}
        assert set(autoscaled) == expected
        for name, hpa in autoscaled.items():
            deployment = deployments[name]
            assert "replicas" not in deployment["spec"], f"{name}: the autoscaler owns the count"
            [container] = deployment["spec"]["template"]["spec"]["containers"]
            assert container["resources"]["requests"]["cpu"]
            assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        if overlay == "production":
            assert all(hpa["spec"]["minReplicas"] >= 2 for hpa in autoscaled.values())

    def test_every_container_requests_resources_and_has_a_memory_limit(self, overlay: str) -> None:
        for workload, container in containers(rendered(overlay)):
            resources = container.get("resources", {})
            assert {"cpu", "memory"} <= set(resources.get("requests", {})), workload
            assert "memory" in resources.get("limits", {}), workload

    def test_each_relay_runs_one_active_copy_and_one_standby(self, overlay: str) -> None:
        objects = rendered(overlay)
        deployments = of_kind(objects, "Deployment")
        autoscaled = {
            hpa["spec"]["scaleTargetRef"]["name"]
            for hpa in of_kind(objects, "HorizontalPodAutoscaler").values()
        }
        budgets = {
            b["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]: b
            for b in of_kind(objects, "PodDisruptionBudget").values()
        }
        for service in DOMAIN_SERVICES:
            relay = deployments[f"{service}-relay"]
            assert relay["spec"]["replicas"] == 2  # the advisory lock makes one of them wait
            assert f"{service}-relay" not in autoscaled
            assert budgets[f"{service}-relay"]["spec"]["minAvailable"] == 1
            [container] = relay["spec"]["template"]["spec"]["containers"]
            assert argv(container)[:4] == ["python", "-m", "servicekit.relay", service]

    def test_consumers_are_no_more_than_the_partitions_they_read(self, overlay: str) -> None:
        partitions = {spec.name: spec.partitions for spec in load_topics(TOPICS_FILE)}
        deployments = of_kind(rendered(overlay), "Deployment")
        autoscaled = {
            hpa["spec"]["scaleTargetRef"]["name"]
            for hpa in of_kind(rendered(overlay), "HorizontalPodAutoscaler").values()
        }
        for service in ("projects", "recognition"):
            module = importlib.import_module(f"{service}.consumers")
            topics = set(module.TOPICS) | set(
                getattr(getattr(module, "IMPACT", None), "topics", ())
            )
            replicas = deployments[f"{service}-consumer"]["spec"]["replicas"]
            assert 1 <= replicas <= min(partitions[topic] for topic in topics)
            assert f"{service}-consumer" not in autoscaled

    def test_the_gateway_composes_the_api_services(self, overlay: str) -> None:
        objects = rendered(overlay)
        gateway = of_kind(objects, "Deployment")["gateway"]["spec"]["template"]["spec"][
            "containers"
        ][0]
        subgraphs = container_env(gateway, objects)["GATEWAY_SUBGRAPHS"]
        found = dict(re.findall(r"(\w+)=(http://[^,]+)", subgraphs))
        assert set(found) == set(DOMAIN_SERVICES)
        for service, url in found.items():
            self._assert_reaches(objects, url, f"{service}-api")
            assert urlsplit(url).path == "/graphql"

    def test_the_portal_talks_to_the_gateway_service(self, overlay: str) -> None:
        objects = rendered(overlay)
        portal = of_kind(objects, "Deployment")["portal"]["spec"]["template"]["spec"]["containers"][
            0
        ]
        assert argv(portal)[1] == PORTAL_APP
        url = container_env(portal, objects)["PORTAL_GATEWAY_URL"]
        self._assert_reaches(objects, url, "gateway")

    @staticmethod
    def _assert_reaches(objects: tuple[Object, ...], url: str, deployment: str) -> None:
        """`url`'s host is a Service selecting `deployment`'s pods, on the port they serve."""
        parts = urlsplit(url)
        service = of_kind(objects, "Service")[parts.hostname or ""]
        pod = of_kind(objects, "Deployment")[deployment]["spec"]["template"]
        assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
        [port] = [p for p in service["spec"]["ports"] if p["port"] == parts.port]
        [container] = pod["spec"]["containers"]
        args = argv(container)
        assert port_number(container, port["targetPort"]) == int(args[args.index("--port") + 1])

    def test_every_service_selects_pods(self, overlay: str) -> None:
        objects = rendered(overlay)
        pods = [w["spec"]["template"]["metadata"]["labels"] for w in workloads(objects).values()]
        for name, service in of_kind(objects, "Service").items():
            assert any(service["spec"]["selector"].items() <= labels.items() for labels in pods), (
                name
            )

    def test_the_init_job_runs_what_compose_init_runs(self, overlay: str) -> None:
        compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]["init"][
            "command"
        ]
        [job] = of_kind(rendered(overlay), "Job").values()
        [container] = job["spec"]["template"]["spec"]["containers"]
        assert argv(container)[:4] == compose[:4] == ["python", "-m", "devstack", "prepare"]
        # Demo signing keys only where compose makes them: never in production.
        assert ("--keys" in argv(container)) == (overlay == "local")

    def test_our_pods_run_as_a_user_without_privileges(self, overlay: str) -> None:
        for name, workload in workloads(rendered(overlay)).items():
            pod = workload["spec"]["template"]["spec"]
            if not all(is_ours(c) for c in pod["containers"]):
                continue
            assert pod["securityContext"]["runAsNonRoot"] is True, name
            assert pod["automountServiceAccountToken"] is False, name
            assert pod["enableServiceLinks"] is False, name
            for container in pod["containers"]:
                assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
                assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], name


class TestExamples:
    """PostgreSQL and Kafka are external: infra/k8s/examples/ shows operator resources for them."""

    @staticmethod
    def example(name: str) -> list[Object]:
        return [doc for doc in yaml.safe_load_all((K8S / "examples" / name).read_text()) if doc]

    def test_no_overlay_applies_the_examples(self) -> None:
        for overlay in OVERLAYS:
            kinds = {o["apiVersion"].split("/")[0] for o in rendered(overlay)}
            assert not kinds & {"kafka.strimzi.io", "postgresql.cnpg.io"}
        for kustomization in K8S.rglob("kustomization.yaml"):
            assert "examples" not in kustomization.read_text().split("# ")[0]

    def test_strimzi_runs_three_brokers_in_kraft_node_pools_with_rf3_and_two_in_sync(self) -> None:
        objects = self.example("strimzi-kafka.yaml")
        [kafka] = [o for o in objects if o["kind"] == "Kafka"]
        pools = [o for o in objects if o["kind"] == "KafkaNodePool"]
        assert kafka["metadata"]["annotations"] == {
            "strimzi.io/node-pools": "enabled",
            "strimzi.io/kraft": "enabled",
        }
        assert sum(p["spec"]["replicas"] for p in pools if "broker" in p["spec"]["roles"]) == 3
        assert sum(p["spec"]["replicas"] for p in pools if "controller" in p["spec"]["roles"]) == 3
        assert all(
            p["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
            for p in pools
        )
        config = kafka["spec"]["kafka"]["config"]
        assert (config["default.replication.factor"], config["min.insync.replicas"]) == (3, 2)
        assert (
            config["offsets.topic.replication.factor"],
            config["transaction.state.log.min.isr"],
        ) == (3, 2)

    def test_strimzi_topics_are_those_of_infra_topics_toml(self) -> None:
        topics = {
            o["spec"]["topicName"]: o["spec"]
            for o in self.example("strimzi-kafka.yaml")
            if o["kind"] == "KafkaTopic"
        }
        declared = load_topics(TOPICS_FILE, brokers=3)  # what the init job would create there
        assert set(topics) == {spec.name for spec in declared}
        for spec in declared:
            topic = topics[spec.name]
            assert (topic["partitions"], topic["replicas"]) == (
                spec.partitions,
                spec.replication_factor,
            )
            assert {k: str(v) for k, v in topic["config"].items()} == spec.config
            assert (topic["replicas"], topic["config"]["min.insync.replicas"]) == (3, 2)

    def test_the_bootstrap_servers_are_the_strimzi_clusters(self) -> None:
        [kafka] = [o for o in self.example("strimzi-kafka.yaml") if o["kind"] == "Kafka"]
        [config] = [
            o
            for n, o in of_kind(rendered("production"), "ConfigMap").items()
            if n.startswith("heroes-config-")
        ]
        [listener] = kafka["spec"]["kafka"]["listeners"]
        assert listener["tls"] is False  # servicekit's Kafka clients have no TLS settings
        host, _, port = config["data"]["HEROES_KAFKA_BOOTSTRAP_SERVERS"].partition(":")
        assert host.startswith(f"{kafka['metadata']['name']}-kafka-bootstrap.")
        assert int(port) == listener["port"]

    def test_cloudnative_pg_makes_every_services_database(self) -> None:
        objects = self.example("cloudnative-pg.yaml")
        [cluster] = [o for o in objects if o["kind"] == "Cluster"]
        databases = {o["spec"]["name"]: o["spec"] for o in objects if o["kind"] == "Database"}
        initdb = cluster["spec"]["bootstrap"]["initdb"]
        databases[initdb["database"]] = {
            "owner": initdb["owner"],
            "cluster": {"name": cluster["metadata"]["name"]},
        }
        assert set(databases) == set(DOMAIN_SERVICES)
        assert {(d["owner"], d["cluster"]["name"]) for d in databases.values()} == {
            ("heroes", "heroes-db")
        }
        assert cluster["spec"]["instances"] >= 3


def test_the_first_step_of_a_production_release_applies_all_the_init_job_needs() -> None:
    """README: `kubectl apply -k ... -l 'app.kubernetes.io/component in (config,init)'` first."""
    objects = rendered("production")
    first = tuple(
        o
        for o in objects
        if o["metadata"].get("labels", {}).get("app.kubernetes.io/component") in ("config", "init")
    )
    assert {o["kind"] for o in first if o["kind"] in ("Deployment", "StatefulSet")} == set()
    [job] = of_kind(first, "Job").values()
    [container] = job["spec"]["template"]["spec"]["containers"]
    assert container_env(container, first)  # every ConfigMap and Secret it names is applied
    assert set(of_kind(first, "Namespace")) == {"heroes"}


def test_production_secret_files_are_never_committed() -> None:
    secrets = K8S / "overlays" / "production" / "secrets"
    for example in secrets.glob("*.example"):
        real = example.with_suffix("")
        ignored = subprocess.run(["git", "check-ignore", "-q", str(real)], cwd=REPO, check=False)  # noqa: S603, S607
        kept = subprocess.run(["git", "check-ignore", "-q", str(example)], cwd=REPO, check=False)  # noqa: S603, S607
        assert (ignored.returncode, kept.returncode) == (0, 1), real
