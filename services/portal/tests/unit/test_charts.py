"""SPC charts drawn from the API's Measure.chart: points, lines, words, icons and table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from graphql import parse, validate
from portal.charts import (
    MEASURE_CHART_FRAGMENT,
    ChartDataError,
    ChartView,
    Direction,
    Gap,
    LineKind,
    PointClass,
    Rule,
    Variation,
    chart_from_api,
    render_chart,
)
from portal.charts.icons import variation_icon
from projects.schema import build_schema

from .chart_api import (
    CLIMBS,
    FALLS,
    FALLS_AT_THE_END,
    LAST_WEEK_HIGH,
    RISES_AT_THE_END,
    STEADY,
    measure_json,
    month,
    month_key,
    monthly_chart_json,
    point_id,
    week,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
CLASS_OF_NATURE = {"IMPROVEMENT": "improvement", "CONCERN": "concern", "NEITHER": "neither",
                   None: "common"}
FILL_OF_CLASS = {"improvement": "#41B6E6", "concern": "#ED8B00", "neither": "#A6A6A6",
                 "common": "#A6A6A6"}


def view_of(answer: dict[str, Any]) -> ChartView:
    return render_chart(chart_from_api(answer))


def parse_svg(markup: str) -> ET.Element:
    """Parse markup this code wrote, as the browser test will; it is not outside input."""
    return ET.fromstring(markup)  # noqa: S314  # our own output, made in the test


def svg_of(view: ChartView) -> ET.Element:
    return parse_svg(view.svg)


def data_circles(root: ET.Element) -> list[ET.Element]:
    return root.findall("./svg:g[@class='spc-points']/svg:circle", NS)


def lines_with_class(root: ET.Element, css_class: str) -> list[ET.Element]:
    """The chart's lines (not the legend's keys) with this CSS class."""
    return [line for line in root.iterfind("./svg:g[@class='spc-lines']/svg:line", NS)
            if css_class in line.get("class", "").split()]


def date_labels(root: ET.Element) -> list[str | None]:
    return [t.text for t in root.iterfind(".//svg:text[@class='spc-axis-label']", NS)
            if t.get("text-anchor") == "middle"]


def api_points(answer: dict[str, Any]) -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = answer["chart"]["points"]
    return points


class TestReadingTheApi:
    def test_reads_the_measure_and_its_chart_from_camel_case_json(self) -> None:
        answer = measure_json(FALLS, direction="DOWN", target=18)

        chart = chart_from_api(answer)

        assert (chart.name, chart.unit, chart.direction, chart.target) == (
            "Falls per week", "falls", Direction.DOWN, 18.0)
        assert [p.value for p in chart.points] == [float(v) for v in FALLS]
        first = chart.points[0]
        api_first = api_points(answer)[0]
        assert (first.point_id, first.on, first.upper_limit) == (
            point_id(0), week(0), api_first["upperLimit"])
        assert [s.rule for s in chart.signals] == [
            Rule.SHIFT, Rule.POINT_BEYOND_LIMITS, Rule.SHIFT]

    def test_points_take_their_lines_from_the_segments_when_the_query_left_them_out(
        self,
    ) -> None:
        answer = measure_json(FALLS, rebase_on=[week(10)])
        slim = {**answer, "chart": {**answer["chart"], "points": [
            {"pointId": p["pointId"], "on": p["on"], "value": p["value"]}
            for p in api_points(answer)]}}

        assert chart_from_api(slim).points == tuple(
            replace(p, special_cause=None) for p in chart_from_api(answer).points)

    def test_points_are_put_in_date_order(self) -> None:
        answer = measure_json(STEADY)
        answer["chart"]["points"].reverse()

        assert [p.on for p in chart_from_api(answer).points] == [week(n) for n in range(15)]

    def test_a_measure_without_its_chart_is_refused(self) -> None:
        with pytest.raises(ChartDataError, match="no chart"):
            chart_from_api({"name": "Falls per week"})

    def test_a_rule_added_to_the_api_later_is_still_described(self) -> None:
        answer = measure_json(STEADY)
        answer["chart"]["signals"] = [{
            "rule": "SOMETHING_NEW", "nature": "CONCERN", "pointIds": [point_id(14)],
            "firstPointOn": week(14).isoformat(), "lastPointOn": week(14).isoformat(),
            "description": "A point unlike the others.",
        }]

        view = view_of(answer)

        assert chart_from_api(answer).signals[0].rule is Rule.OTHER
        assert "there is an unusual pattern (a point unlike the others): this is a concern." in (
            view.summary)
        assert view.table.rows[-1].shows == "Concern: a point unlike the others."

    def test_the_fragment_asks_only_for_fields_of_the_projects_contract(self) -> None:
        query = "query { project(id: \"p\") { measures { ...MeasureChartFields } } }"
        document = parse(query + MEASURE_CHART_FRAGMENT)

        assert validate(build_schema()._schema, document) == []


class TestPoints:
    @pytest.mark.parametrize("values", [FALLS, STEADY, CLIMBS, RISES_AT_THE_END])
    def test_there_is_one_circle_for_each_data_point(self, values: tuple[int, ...]) -> None:
        answer = measure_json(values)

        circles = data_circles(svg_of(view_of(answer)))

        assert [c.get("data-point-id") for c in circles] == [
            p["pointId"] for p in api_points(answer)]

    @pytest.mark.parametrize(("values", "direction"), [
        (FALLS, "DOWN"), (CLIMBS, "UP"), (RISES_AT_THE_END, "UP"), (FALLS_AT_THE_END, "UP"),
        (RISES_AT_THE_END, "NEITHER"), (STEADY, "UP"),
    ])
    def test_each_point_is_coloured_by_the_nature_of_its_signals(
        self, values: tuple[int, ...], direction: str
    ) -> None:
        answer = measure_json(values, direction=direction)

        circles = data_circles(svg_of(view_of(answer)))

        for circle, point in zip(circles, api_points(answer), strict=True):
            expected = CLASS_OF_NATURE[point["specialCause"]]
            assert circle.get("class") == f"spc-point spc-point--{expected}"
            assert circle.get("fill") == FILL_OF_CLASS[expected]

    def test_a_point_in_both_an_improvement_and_a_concern_shows_the_concern(self) -> None:
        # 1..7 rising, higher is better: week 0 is below the lower limit (a concern) and
        # starts the rising trend (an improvement).
        view = view_of(measure_json((1, 2, 3, 4, 5, 6, 7), direction="UP"))

        assert view.geometry.points[0].point_class is PointClass.CONCERN
        assert view.geometry.points[3].point_class is PointClass.IMPROVEMENT

    def test_points_sit_where_the_scale_puts_their_values(self) -> None:
        answer = measure_json(FALLS)
        view = view_of(answer)

        circles = data_circles(svg_of(view))

        placed = view.geometry.points
        for circle, spot, point in zip(circles, placed, api_points(answer), strict=True):
            assert float(circle.get("cx", "")) == spot.cx
            assert float(circle.get("cy", "")) == spot.cy == view.geometry.scale.y(point["value"])
        assert [p.cx for p in placed] == sorted(p.cx for p in placed)
        forty = placed[4]
        assert forty.cy == min(p.cy for p in placed)  # the highest value is nearest the top


class TestLines:
    def test_the_centre_and_limit_lines_sit_at_the_api_numbers(self) -> None:
        answer = measure_json(FALLS)
        view = view_of(answer)
        root = svg_of(view)
        segment = answer["chart"]["segments"][0]

        y = view.geometry.scale.y
        for css_class, key in [("spc-centre", "centre"), ("spc-limit--upper", "upperLimit"),
                               ("spc-limit--lower", "lowerLimit")]:
            [line] = lines_with_class(root, css_class)
            assert float(line.get("y1", "")) == float(line.get("y2", "")) == y(segment[key])
            assert (float(line.get("x1", "")), float(line.get("x2", ""))) == (64, 704)
        assert y(segment["upperLimit"]) < y(segment["centre"]) < y(segment["lowerLimit"])

    def test_recalculated_limits_step_where_the_new_segment_starts(self) -> None:
        answer = measure_json(FALLS, rebase_on=[week(10)])
        view = view_of(answer)
        geometry = view.geometry

        for kind, key in [(LineKind.CENTRE, "centre"), (LineKind.UPPER_LIMIT, "upperLimit"),
                          (LineKind.LOWER_LIMIT, "lowerLimit")]:
            runs = geometry.lines_of(kind)
            assert [(r.first_point_id, r.last_point_id) for r in runs] == [
                (point_id(0), point_id(9)), (point_id(10), point_id(16))]
            for spot, point in zip(geometry.points, api_points(answer), strict=True):
                [run] = [r for r in runs if r.x1 < spot.cx < r.x2]
                assert run.y == geometry.scale.y(point[key])
        assert runs[0].x2 == runs[1].x1 == geometry.rebase_xs[0]
        assert len(lines_with_class(svg_of(view), "spc-rebase")) == 1

    def test_the_target_line_is_drawn_at_the_target(self) -> None:
        view = view_of(measure_json(FALLS, target=18))

        [line] = lines_with_class(svg_of(view), "spc-target")

        assert float(line.get("y1", "")) == view.geometry.scale.y(18)

    def test_there_is_no_target_line_without_a_target(self) -> None:
        view = view_of(measure_json(FALLS))

        assert lines_with_class(svg_of(view), "spc-target") == []
        assert view.geometry.lines_of(LineKind.TARGET) == ()

    def test_a_run_chart_has_a_median_line_and_no_limits(self) -> None:
        view = view_of(measure_json(FALLS, rule_set="IHI_RUN_CHART"))
        root = svg_of(view)

        [centre] = lines_with_class(root, "spc-centre")

        assert float(centre.get("y1", "")) == view.geometry.scale.y(19)  # the median
        assert lines_with_class(root, "spc-limit") == []
        legend = [t.text for t in root.iterfind(".//svg:text[@class='spc-legend-label']", NS)]
        assert "Median" in legend
        assert "Process limits" not in legend


class TestAxes:
    @pytest.mark.parametrize(("count", "last"), [(1, "5 Jan"), (6, "9 Feb"), (7, "16 Feb"),
                                                 (15, "13 Apr"), (17, "27 Apr"), (40, "5 Oct")])
    def test_a_few_dates_are_labelled_always_the_first_and_the_last(
        self, count: int, last: str
    ) -> None:
        view = view_of(measure_json([20 + n % 3 for n in range(count)]))

        labels = date_labels(svg_of(view))

        assert 1 <= len(labels) <= 6
        assert (labels[0], labels[-1]) == ("5 Jan", last)

    def test_dates_carry_the_year_when_the_chart_spans_years(self) -> None:
        view = view_of(measure_json([20 + n % 3 for n in range(60)]))

        labels = date_labels(svg_of(view))

        assert (labels[0], labels[-1]) == ("5 Jan 2026", "22 Feb 2027")

    def test_value_labels_are_tidy_numbers_covering_every_line(self) -> None:
        answer = measure_json(FALLS, target=18)
        view = view_of(answer)

        labels = [float(t.label) for t in view.geometry.value_ticks]

        segment = answer["chart"]["segments"][0]
        assert labels == [0, 10, 20, 30, 40, 50]
        assert labels[0] <= segment["lowerLimit"]
        assert segment["upperLimit"] <= labels[-1]
        assert [t.position for t in view.geometry.value_ticks] == sorted(
            (t.position for t in view.geometry.value_ticks), reverse=True)


class TestAccessibleSvg:
    def test_the_svg_is_an_image_with_a_title_and_a_description(self) -> None:
        view = view_of(measure_json(FALLS, target=18))

        root = svg_of(view)

        assert root.get("role") == "img"
        title = root.find(f"svg:title[@id='{root.get('aria-labelledby')}']", NS)
        desc = root.find(f"svg:desc[@id='{root.get('aria-describedby')}']", NS)
        assert title is not None
        assert desc is not None
        assert title.text == "Falls per week: 17 values from 5 January 2026 to 27 April 2026"
        assert desc.text is not None
        assert desc.text.startswith(
            "A control chart (XmR chart) of Falls per week, in falls, read by the NHS England "
            "Making Data Count rules. Lower is better. The average is 18.6 and the process "
            "limits are 8.3 and 28.9. The process limits show the range the values would "
            "normally stay within by chance. The target is 18. From 5 January to 9 March")
        assert desc.text.endswith(
            "this is an improvement. At the current level the target of 18 will be met some "
            "times and not others: it lies between the process limits (8.3 and 28.9).")
        assert desc.text.count("The process limits show") == 1

    def test_the_svg_scales_with_the_page(self) -> None:
        root = svg_of(view_of(measure_json(FALLS)))

        assert (root.get("viewBox"), root.get("width"), root.get("height")) == (
            "0 0 720 360", "100%", None)

    def test_the_svg_works_under_a_strict_content_security_policy(self) -> None:
        view = view_of(measure_json(FALLS, target=18))
        markups = [view.svg, view.variation.svg]
        markups += [view.assurance.svg] if view.assurance else []

        for markup in markups:
            elements = list(parse_svg(markup).iter())
            assert all("style" not in e.attrib for e in elements)
            assert all(not e.tag.endswith(("script", "style", "image", "foreignObject"))
                       for e in elements)
            assert not re.search(r"href|url\(|javascript:|\bon[a-z]+=", markup)

    def test_text_from_the_api_is_escaped(self) -> None:
        name = "<script>alert('x')</script> & \"falls\""

        root = svg_of(view_of(measure_json(FALLS, name=name, unit="falls <b>")))

        title = root.find("svg:title", NS)
        assert title is not None
        assert title.text is not None
        assert title.text.startswith(name)
        assert root.find(".//svg:script", NS) is None

    def test_each_chart_gets_its_own_ids(self) -> None:
        chart = chart_from_api(measure_json(FALLS))

        root = parse_svg(render_chart(chart, element_id="ward-7-falls").svg)

        assert root.get("aria-labelledby") == "ward-7-falls-title"
        assert render_chart(chart).element_id == "spc-chart-measure-1"

    def test_a_chart_with_no_values_says_so(self) -> None:
        view = view_of(measure_json(()))

        assert data_circles(svg_of(view)) == []
        assert "No values yet" in view.svg
        assert view.summary == "There are no values yet, so the chart cannot show any change."
        assert view.table.rows == ()


class TestSummary:
    def test_a_shift_still_going_on_is_an_improvement(self) -> None:
        summary = view_of(measure_json(FALLS, direction="DOWN")).summary

        assert ("Since 16 March the values have been consistently lower than before (7 points "
                "in a row below the average): this is an improvement.") in summary

    def test_earlier_concerns_are_told_in_the_past(self) -> None:
        summary = view_of(measure_json(FALLS, direction="DOWN")).summary

        assert summary.startswith(
            "From 5 January to 9 March the values were consistently higher (10 points in a row "
            "above the average): this was a concern. On 2 February the value was 40, above the "
            "upper process limit: this was a concern. The process limits show the range the "
            "values would normally stay within by chance.")

    def test_a_latest_value_beyond_the_limits_is_a_concern_now(self) -> None:
        summary = view_of(measure_json(LAST_WEEK_HIGH, direction="DOWN")).summary

        assert ("The latest value, 35 on 13 April, is above the upper process limit: this is a "
                "concern.") in summary

    def test_a_fall_where_higher_is_better_is_a_concern(self) -> None:
        summary = view_of(measure_json(FALLS_AT_THE_END, direction="UP")).summary

        assert ("Since 16 March the values have been consistently lower than before (7 points "
                "in a row below the average): this is a concern.") in summary

    def test_a_rising_trend(self) -> None:
        summary = view_of(measure_json(CLIMBS, direction="UP")).summary

        assert ("Since 2 March the values have kept rising (7 points in a row going up): this "
                "is an improvement.") in summary

    def test_no_signal_means_ordinary_variation(self) -> None:
        summary = view_of(measure_json(STEADY, direction="UP")).summary

        assert summary == (
            "The values vary by chance around the average of 20.0, with no unusual pattern: no "
            "long run on one side of the average, no steady rise or fall and no value outside "
            "the process limits. The process limits show the range the values would normally "
            "stay within by chance.")

    def test_a_change_where_neither_way_is_better(self) -> None:
        summary = view_of(measure_json(RISES_AT_THE_END, direction="NEITHER")).summary

        assert ("Since 16 March the values have been consistently higher than before (7 points "
                "in a row above the average): this is a real change, neither better nor "
                "worse.") in summary

    def test_recalculated_limits_are_mentioned_with_the_move_of_the_average(self) -> None:
        summary = view_of(measure_json(FALLS, rebase_on=[week(10)])).summary

        assert summary.startswith(
            "The average and process limits were recalculated from 16 March, when the average "
            "went from 22.1 to 13.6.")

    def test_only_the_latest_patterns_are_told_when_there_are_many(self) -> None:
        summary = view_of(measure_json(RISES_AT_THE_END, direction="UP")).summary

        assert summary.startswith(
            "There is 1 other unusual pattern earlier on the chart; the table lists every "
            "point.")
        assert summary.count(": this ") == 4

    def test_a_run_chart_speaks_of_the_median(self) -> None:
        summary = view_of(measure_json(FALLS, rule_set="IHI_RUN_CHART")).summary

        assert ("Since 16 March the values have been consistently lower than before (7 points "
                "in a row below the median): this is an improvement.") in summary
        assert "The median is the middle value" in summary


class TestAssurance:
    @pytest.mark.parametrize(("target", "kind", "sentence"), [
        (10, "consistently-passing",
         "At the current level the target of 10 is met every time: both process limits "
         "(15.1 and 24.9) are above it."),
        (30, "consistently-failing",
         "At the current level the target of 30 will not be met without a change in the "
         "process: both process limits (15.1 and 24.9) are below it."),
        (21, "hit-and-miss",
         "At the current level the target of 21 will be met some times and not others: it lies "
         "between the process limits (15.1 and 24.9)."),
    ])
    def test_the_target_sentence_and_icon_follow_the_api_assurance(
        self, target: float, kind: str, sentence: str
    ) -> None:
        view = view_of(measure_json(STEADY, direction="UP", target=target))

        assert view.summary.endswith(sentence)
        assert view.assurance is not None
        assert view.assurance.kind == kind

    def test_where_lower_is_better_a_target_above_the_limits_is_met(self) -> None:
        view = view_of(measure_json(STEADY, direction="DOWN", target=30))

        assert view.summary.endswith(
            "At the current level the target of 30 is met every time: both process limits "
            "(15.1 and 24.9) are below it.")

    def test_without_a_target_there_is_no_target_sentence_or_icon(self) -> None:
        view = view_of(measure_json(STEADY, direction="UP"))

        assert "target" not in view.summary
        assert view.assurance is None

    def test_a_run_chart_cannot_say_whether_the_target_will_be_met(self) -> None:
        view = view_of(measure_json(FALLS, rule_set="IHI_RUN_CHART", target=18))

        assert ("A run chart has no process limits, so it cannot show whether the target of 18 "
                "will be met.") in view.summary
        assert view.assurance is None


class TestIcons:
    @pytest.mark.parametrize(("values", "direction", "variation"), [
        (STEADY, "UP", Variation.COMMON_CAUSE),
        (RISES_AT_THE_END, "UP", Variation.IMPROVEMENT_HIGH),
        (FALLS, "DOWN", Variation.IMPROVEMENT_LOW),
        (RISES_AT_THE_END, "DOWN", Variation.CONCERN_HIGH),
        (FALLS_AT_THE_END, "UP", Variation.CONCERN_LOW),
        (RISES_AT_THE_END, "NEITHER", Variation.NEITHER_HIGH),
        (FALLS_AT_THE_END, "NEITHER", Variation.NEITHER_LOW),
    ])
    def test_the_variation_icon_reads_the_latest_point(
        self, values: tuple[int, ...], direction: str, variation: Variation
    ) -> None:
        icon = view_of(measure_json(values, direction=direction)).variation

        assert icon.kind == variation.value
        root = parse_svg(icon.svg)
        letters = [t.text for t in root.iterfind("svg:text", NS)]
        assert letters == {"high": ["H"], "low": ["L"]}.get(variation.value.split("-")[-1], [])

    @pytest.mark.parametrize(("variation", "ring"), [
        (Variation.IMPROVEMENT_HIGH, "#41B6E6"), (Variation.CONCERN_LOW, "#ED8B00"),
        (Variation.COMMON_CAUSE, "#A6A6A6"),
    ])
    def test_the_variation_icon_ring_has_the_news_colour(
        self, variation: Variation, ring: str
    ) -> None:
        root = parse_svg(variation_icon(variation).svg)

        circle = root.find("svg:circle", NS)
        assert circle is not None
        assert circle.get("stroke") == ring

    def test_icons_carry_their_label_and_leave_it_to_the_page_to_read_out(self) -> None:
        view = view_of(measure_json(FALLS, direction="DOWN", target=18))

        for icon in (view.variation, view.assurance):
            assert icon is not None
            root = parse_svg(icon.svg)
            assert root.get("aria-hidden") == "true"
            assert root.findtext("svg:title", namespaces=NS) == icon.label
        assert view.variation.label == "Improvement: unusually low values (special cause variation)"


class TestTable:
    def test_there_is_a_row_for_each_point_with_its_lines_and_meaning(self) -> None:
        answer = measure_json(FALLS, direction="DOWN")
        table = view_of(answer).table

        assert table.headings == ("Date", "Value (falls)", "Average", "Lower process limit",
                                  "Upper process limit", "What it shows")
        assert [row.point_id for row in table.rows] == [p["pointId"] for p in api_points(answer)]
        assert table.rows[4].cells == (
            "2 February 2026", "40", "18.6", "8.3", "28.9",
            "Concern: one of 10 points in a row above the average; above the upper process "
            "limit.")
        assert table.rows[10].cells[-1] == (
            "Improvement: one of 7 points in a row below the average.")
        assert table.rows[10].point_class is PointClass.IMPROVEMENT

    def test_a_point_with_nothing_unusual_says_so(self) -> None:
        table = view_of(measure_json(STEADY, direction="UP")).table

        assert {row.shows for row in table.rows} == {"Nothing unusual"}
        assert table.rows[0].on == date(2026, 1, 5)

    def test_a_run_chart_table_has_no_limit_columns(self) -> None:
        table = view_of(measure_json(FALLS, rule_set="IHI_RUN_CHART")).table

        assert table.headings == ("Date", "Value (falls)", "Median", "What it shows")
        assert table.rows[0].cells[:3] == ("5 January 2026", "20", "19.0")


class TestMonths:
    """Charts of one value a month (the network's impact measures): months, and gaps."""

    PULSE = (60, 62, None, 61, 63, 60, 62, 64, 61, 63, 62, None)
    NOTE = "Fewer than 5 answers this month, so not shown"

    def monthly(self, values: tuple[float | None, ...] = PULSE) -> ChartView:
        answer = {"id": "pulse", "name": "Energised and empowered", "unit": "percent",
                  "chart": monthly_chart_json(values)}
        gaps = [Gap(month(n), self.NOTE) for n, value in enumerate(values) if value is None]
        return render_chart(chart_from_api(answer, monthly=True, gaps=gaps))

    def test_dates_are_written_as_months(self) -> None:
        view = self.monthly()

        labels = date_labels(svg_of(view))
        assert (labels[0], labels[-1]) == ("Apr 2025", "Mar 2026")
        assert view.title == "Energised and empowered: 10 values from April 2025 to February 2026"
        assert view.table.headings[0] == "Month"
        assert view.table.rows[0].cells[:2] == ("Apr 2025", "60")

    def test_a_month_with_no_value_keeps_its_place_and_says_why(self) -> None:
        view = self.monthly()
        root = svg_of(view)

        circles = data_circles(root)
        assert [c.get("data-point-id") for c in circles][:3] == [month_key(0), month_key(1),
                                                                 month_key(3)]
        xs = [float(c.get("cx", "0")) for c in circles]
        step = xs[1] - xs[0]
        assert xs[2] - xs[1] == pytest.approx(2 * step, abs=0.02)  # an empty place for June
        lines = root.findall("./svg:polyline[@class='spc-data-line']", NS)
        assert len(lines) == 2  # broken at June; the last month has no value to join
        [june] = [row for row in view.table.rows if row.on == month(2)]
        assert june.point_id is None
        assert june.value is None
        assert june.cells == ("Jun 2025", "No value", "", "", "", self.NOTE)
        assert [row.on for row in view.table.rows] == [month(n) for n in range(12)]
        assert ("There are no values for June 2025 and March 2026. Fewer than 5 answers this "
                "month, so not shown.") in view.summary
        assert "There are no values for June 2025 and March 2026." in view.description

    def test_without_gaps_a_monthly_chart_is_drawn_as_any_other(self) -> None:
        values = (10, 12, 11, 13, 12, 11)
        monthly = self.monthly(values)
        answer = {"id": "pulse", "name": "Energised and empowered", "unit": "percent",
                  "chart": monthly_chart_json(values)}
        plain = render_chart(chart_from_api(answer))

        assert [p.cx for p in monthly.geometry.points] == [p.cx for p in plain.geometry.points]
        assert monthly.geometry.gap_xs == ()
        assert "There is no value" not in monthly.summary
        assert plain.table.rows[0].cells[0] == "1 April 2025"

    def test_sentences_say_in_a_month_not_on_it(self) -> None:
        view = self.monthly((10, 12, 11, 13, 12, 30, 12, 11, 12, 13, 12, 11))

        assert "In September 2025 the value was 30, above the upper process limit" in view.summary
