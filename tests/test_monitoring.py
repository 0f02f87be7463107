"""The alert rules (infra/prometheus/alerts.yml) and the dashboard (infra/grafana/heroes.json)
load as Prometheus and Grafana expect, their PromQL parses, and every metric and label they name
is one the services export.

`promtool` is not available here, so the rule file is checked against Prometheus's rule-file
format (what `rulefmt` accepts) by hand, and every expression is parsed with `promql-parser`
(pinned), which also checks function names, argument types and durations. What the services
export is read from the prometheus_client registry after importing the modules each process runs.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import promql_parser as promql
import pytest
import yaml
from prometheus_client import REGISTRY
from prometheus_client.metrics import MetricWrapperBase

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "infra" / "prometheus" / "alerts.yml"
DASHBOARD = REPO / "infra" / "grafana" / "heroes.json"

# What each process imports: the APIs, the consumers, the relays and the gateway.
PROCESS_MODULES = ("membership.api", "projects.api", "projects.consumers", "recognition.api",
                   "recognition.consumers", "gateway.app", "servicekit.relay",
                   "servicekit.consumer")
OUR_PACKAGES = ("servicekit", "membership", "projects", "recognition", "gateway")

ALERTS = {"HeroesOutboxBacklogGrowing", "HeroesConsumerLagHigh", "HeroesDeadLetters",
          "HeroesRelayNotActive", "HeroesSubgraphErrors", "HeroesSubgraphNotReady",
          "HeroesGatewaySlow", "HeroesDependencyDown"}

LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.S)
# The template forms the annotations use: a label of the alert, or its value, optionally humanized.
TEMPLATE_TERM = re.compile(
    r"\s*\$(?:labels\.(?P<label>[a-zA-Z_][a-zA-Z0-9_]*)|value)"
    r"(?:\s*\|\s*(?:humanize|humanize1024|humanizePercentage|humanizeDuration))?\s*"
)
GROUP_KEYS = {"name", "interval", "query_offset", "limit", "labels", "rules"}
RULE_KEYS = {"alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"}


# --- what the services export -----------------------------------------------------------------


@cache
def exported() -> dict[str, frozenset[str]]:
    """Each series name the processes export (with `_total`, `_bucket`, `_sum`, `_count`, ...)
    and its label names."""
    for name in PROCESS_MODULES:
        importlib.import_module(name)
    # prometheus_client has no public way to ask a metric its label names; its `_labelnames` has
    # been there since the first releases.
    labels = {metric._name: frozenset(metric._labelnames) for metric in _our_metrics()}
    series: dict[str, frozenset[str]] = {}
    for family in REGISTRY.collect():
        if family.name not in labels:
            continue  # the client's own process and platform collectors
        names = labels[family.name]
        if family.type == "counter":
            series |= {f"{family.name}_total": names, f"{family.name}_created": names}
        elif family.type == "histogram":
            series |= {f"{family.name}_bucket": names | {"le"}, f"{family.name}_sum": names,
                       f"{family.name}_count": names, f"{family.name}_created": names}
        elif family.type == "summary":
            series |= {family.name: names | {"quantile"}, f"{family.name}_sum": names,
                       f"{family.name}_count": names, f"{family.name}_created": names}
        else:
            series[family.name] = names
    return series


def _our_metrics() -> Iterator[Any]:
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in OUR_PACKAGES:
            for value in vars(module).values():
                if isinstance(value, MetricWrapperBase):
                    yield value


# --- PromQL -------------------------------------------------------------------------------------


def selectors(expr: Any) -> list[Any]:
    found: list[Any] = []

    def visit(node: Any) -> None:
        if isinstance(node, promql.VectorSelector):
            found.append(node)

    promql.walk(expr, visit)
    return found


def unknown_names(expr: Any, series: dict[str, frozenset[str]]) -> set[str]:
    """Metrics the expression reads that nobody exports, and labels it matches or groups by that the
    metric does not have."""
    problems: set[str] = set()
    for selector in selectors(expr):
        if selector.name not in series:
            problems.add(f"metric {selector.name}")
            continue
        for matcher in selector.matchers.matchers:
            if matcher.name != "__name__" and matcher.name not in series[selector.name]:
                problems.add(f"label {matcher.name} of {selector.name}")
    try:
        output_labels(expr, series)
    except LookupError as error:
        problems.add(str(error))
    return problems


def output_labels(node: Any, series: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """The labels every series of the expression's result carries (None for a scalar). Raises
    LookupError for a metric nobody exports or a grouping by a label its operand does not have."""
    if isinstance(node, promql.VectorSelector):
        if node.name not in series:
            raise LookupError(f"metric {node.name}")
        return series[node.name] | {"job", "instance"}  # added by the scrape
    if isinstance(node, promql.MatrixSelector):
        return output_labels(node.vector_selector, series)
    if isinstance(node, promql.ParenExpr | promql.UnaryExpr):
        return output_labels(node.expr, series)
    if isinstance(node, promql.NumberLiteral | promql.StringLiteral):
        return None
    if isinstance(node, promql.AggregateExpr):
        inner = output_labels(node.expr, series) or frozenset()
        modifier = node.modifier
        if modifier is None:
            return frozenset()
        named = frozenset(modifier.labels)
        if not named <= inner:
            missing = sorted(named - inner)
            raise LookupError(f"grouping by {missing}, which {node.expr} does not have")
        return named if modifier.type == promql.AggModifierType.By else inner - named
    if isinstance(node, promql.Call):
        if node.func.name == "absent":
            matchers = node.args[0].matchers.matchers
            return frozenset(m.name for m in matchers if m.op == promql.MatchOp.Equal)
        vectors = [output_labels(arg, series) for arg in node.args]
        found = next((labels for labels in vectors if labels is not None), None)
        if node.func.name == "histogram_quantile" and found is not None:
            if "le" not in found:
                raise LookupError(f"histogram_quantile over {node.args[1]}, which has no le")
            return found - {"le"}
        return found
    if isinstance(node, promql.BinaryExpr):
        left, right = output_labels(node.lhs, series), output_labels(node.rhs, series)
        if left is None or right is None:
            return left if right is None else right
        # `or` gives series from either side; anything else keeps the left side's labels.
        return left & right if str(node.op) == "or" else left
    raise TypeError(f"no labels for {type(node).__name__}")


# --- the rule file ------------------------------------------------------------------------------


def rules_doc() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(RULES.read_text())
    return doc


def alert_rules() -> list[dict[str, Any]]:
    return [rule for group in rules_doc()["groups"] for rule in group["rules"]]


def rule_file_problems(doc: Any) -> list[str]:
    """What Prometheus's rule-file loader would refuse (or silently ignore) in `doc`."""
    if not isinstance(doc, dict) or set(doc) != {"groups"} or not isinstance(doc["groups"], list):
        return ["the file must be a mapping with only `groups`, a list"]
    problems: list[str] = []
    names: set[str] = set()
    for group in doc["groups"]:
        name = group.get("name") if isinstance(group, dict) else None
        if not isinstance(name, str) or not name:
            problems.append("a group has no name")
            continue
        if name in names:
            problems.append(f"{name}: a second group of that name")
        names.add(name)
        problems += [f"{name}: unknown key {key}" for key in sorted(set(group) - GROUP_KEYS)]
        if "interval" in group:
            problems += _duration_problems(f"{name}: interval", group["interval"])
        if not isinstance(group.get("rules"), list) or not group["rules"]:
            problems.append(f"{name}: no rules")
            continue
        for index, rule in enumerate(group["rules"]):
            problems += _rule_problems(f"{name}[{index}]", rule)
    return problems


def _rule_problems(where: str, rule: Any) -> list[str]:
    if not isinstance(rule, dict):
        return [f"{where}: not a mapping"]
    problems = [f"{where}: unknown key {key}" for key in sorted(set(rule) - RULE_KEYS)]
    if ("alert" in rule) == ("record" in rule):
        problems.append(f"{where}: needs exactly one of alert and record")
    if "record" in rule:
        if not isinstance(rule["record"], str) or not METRIC_NAME.fullmatch(rule["record"]):
            problems.append(f"{where}: record is not a valid metric name")
        problems += [f"{where}: {key} is for alerts only"
                     for key in ("for", "keep_firing_for", "annotations") if key in rule]
    elif not isinstance(rule.get("alert"), str) or not rule["alert"].strip():
        problems.append(f"{where}: alert has no name")
    if not isinstance(rule.get("expr"), str) or not rule["expr"].strip():
        problems.append(f"{where}: no expr")
    for key in ("for", "keep_firing_for"):
        if key in rule:
            problems += _duration_problems(f"{where}: {key}", rule[key])
    for key in ("labels", "annotations"):
        values = rule.get(key, {})
        if not isinstance(values, dict):
            problems.append(f"{where}: {key} is not a mapping")
            continue
        for name, value in values.items():
            if not isinstance(name, str) or not LABEL_NAME.fullmatch(name):
                problems.append(f"{where}: {key} name {name!r} is not a valid label name")
            if not isinstance(value, str):
                problems.append(f"{where}: {key} {name} is not a string")
            elif (bad := _template_problems(value)):
                problems.append(f"{where}: {key} {name}: {bad}")
    return problems


def _duration_problems(where: str, value: Any) -> list[str]:
    try:
        promql.parse_duration(str(value))
    except ValueError:
        return [f"{where}: {value!r} is not a duration"]
    return []


def _template_problems(text: str) -> str:
    if text.count("{{") != text.count("}}"):
        return "unbalanced {{ }}"
    odd = [term for term in TEMPLATE.findall(text) if not TEMPLATE_TERM.fullmatch(term)]
    return f"unexpected template {odd}" if odd else ""


def template_labels(rule: dict[str, Any]) -> set[str]:
    texts = [*rule.get("annotations", {}).values(), *rule.get("labels", {}).values()]
    return {match["label"] for text in texts for term in TEMPLATE.findall(text)
            if (match := TEMPLATE_TERM.fullmatch(term)) and match["label"]}


# --- the dashboard ------------------------------------------------------------------------------


def dashboard() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return doc


def panels() -> list[dict[str, Any]]:
    return [panel for panel in dashboard()["panels"] if panel["type"] != "row"]


def panel_queries() -> list[tuple[str, str]]:
    """(panel title, query) for every target, with Grafana's `$__rate_interval` as Prometheus
    sees it."""
    return [(panel["title"], target["expr"].replace("$__rate_interval", "5m"))
            for panel in panels() for target in panel["targets"]]


# --- the tests ------------------------------------------------------------------------------------


class TestAlertRules:
    def test_the_rule_file_has_the_shape_prometheus_loads(self) -> None:
        assert rule_file_problems(rules_doc()) == []

    def test_it_alerts_on_the_events_the_gateway_and_the_dependencies(self) -> None:
        assert {rule["alert"] for rule in alert_rules()} == ALERTS
        assert len(alert_rules()) == len(ALERTS)
        assert {rule["labels"]["severity"] for rule in alert_rules()} <= {"warning", "critical"}

    def test_every_expression_parses(self) -> None:
        refused: dict[str, str] = {}
        for rule in alert_rules():
            try:
                promql.parse(rule["expr"])
            except ValueError as error:
                refused[rule["alert"]] = str(error)

        assert refused == {}

    def test_every_metric_and_label_they_use_is_exported(self) -> None:
        unknown = {rule["alert"]: problems for rule in alert_rules()
                   if (problems := unknown_names(promql.parse(rule["expr"]), exported()))}

        assert unknown == {}

    def test_annotations_name_only_labels_the_alert_carries(self) -> None:
        missing: dict[str, set[str]] = {}
        for rule in alert_rules():
            try:
                carried = output_labels(promql.parse(rule["expr"]), exported()) or frozenset()
            except LookupError as error:
                missing[rule["alert"]] = {str(error)}
                continue
            if absent := template_labels(rule) - carried:
                missing[rule["alert"]] = absent

        assert missing == {}


class TestDashboard:
    def test_the_dashboard_has_the_shape_grafana_imports(self) -> None:
        board = dashboard()
        ids = [panel["id"] for panel in board["panels"]]
        variables = {variable["name"]: variable for variable in board["templating"]["list"]}

        assert board["uid"]
        assert board["title"]
        assert isinstance(board["schemaVersion"], int)
        assert len(ids) == len(set(ids))
        assert variables["datasource"]["type"] == "datasource"
        assert variables["datasource"]["query"] == "prometheus"
        for panel in board["panels"]:
            place = panel["gridPos"]
            assert 0 <= place["x"] < place["x"] + place["w"] <= 24, panel["title"]
        for panel in panels():
            source = panel["datasource"]
            assert source == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
            assert panel["description"], panel["title"]
            assert panel["targets"], panel["title"]
            ref_ids = [target["refId"] for target in panel["targets"]]
            assert len(ref_ids) == len(set(ref_ids)), panel["title"]

    def test_every_query_parses(self) -> None:
        refused: dict[str, str] = {}
        for title, query in panel_queries():
            try:
                promql.parse(query)
            except ValueError as error:
                refused[title] = str(error)

        assert refused == {}

    def test_every_metric_and_label_it_uses_is_exported(self) -> None:
        unknown = {title: problems for title, query in panel_queries()
                   if (problems := unknown_names(promql.parse(query), exported()))}

        assert unknown == {}

    def test_each_legend_names_only_labels_its_query_returns(self) -> None:
        missing: dict[str, set[str]] = {}
        for panel in panels():
            for target in panel["targets"]:
                query = promql.parse(target["expr"].replace("$__rate_interval", "5m"))
                legend = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", target.get("legendFormat", "")))
                if absent := legend - (output_labels(query, exported()) or frozenset()):
                    missing[f"{panel['title']} {target['refId']}"] = absent

        assert missing == {}

    def test_every_metric_an_alert_reads_has_a_panel(self) -> None:
        shown = {selector.name for _, query in panel_queries()
                 for selector in selectors(promql.parse(query))}
        alerted = {selector.name for rule in alert_rules()
                   for selector in selectors(promql.parse(rule["expr"]))}

        assert alerted - shown == set()


class TestTheChecks:
    """The checks above would catch the mistakes they exist for."""

    def test_a_misspelt_metric_or_label_is_reported(self) -> None:
        series = exported()

        assert unknown_names(promql.parse("heroes_outbox_backlogg"), series) == {
            "metric heroes_outbox_backlogg"}
        assert unknown_names(promql.parse('heroes_outbox_backlog{servce="x"}'), series) == {
            "label servce of heroes_outbox_backlog"}
        assert unknown_names(promql.parse("sum by (group) (heroes_outbox_backlog)"), series) == {
            "grouping by ['group'], which heroes_outbox_backlog{} does not have"}

    def test_suffixes_are_those_prometheus_client_exports(self) -> None:
        series = exported()

        assert series["heroes_http_request_seconds_bucket"] == {"service", "method", "path", "le"}
        assert series["heroes_http_request_seconds_count"] == {"service", "method", "path"}
        assert series["heroes_gateway_subgraph_requests_total"] == {"subgraph", "outcome"}
        assert series["heroes_relay_active"] == {"service"}
        assert "heroes_gateway_subgraph_requests" not in series

    @pytest.mark.parametrize(("rule", "problem"), [
        ({"alert": "A", "expr": "up", "for": "5 minutes"},
         "g[0]: for: '5 minutes' is not a duration"),
        ({"alert": "A", "record": "b", "expr": "up"},
         "g[0]: needs exactly one of alert and record"),
        ({"alert": "A", "expr": "up", "annotation": {}}, "g[0]: unknown key annotation"),
        ({"alert": "A", "expr": "up", "annotations": {"summary": "{{ $labels.x }"}},
         "g[0]: annotations summary: unbalanced {{ }}"),
        ({"alert": "A", "expr": "up", "labels": {"severity": 2}},
         "g[0]: labels severity is not a string"),
    ])
    def test_a_malformed_rule_is_reported(self, rule: dict[str, Any], problem: str) -> None:
        assert rule_file_problems({"groups": [{"name": "g", "rules": [rule]}]}) == [problem]

    def test_a_bad_expression_is_refused_by_the_parser(self) -> None:
        with pytest.raises(ValueError, match="expected type matrix"):
            promql.parse("rate(heroes_outbox_backlog)")
