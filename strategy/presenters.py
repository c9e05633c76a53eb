"""Targets' stored results as words and figures for the public pages, the chart and its table."""

from dataclasses import dataclass, field

from pep_portal.charts import line_chart, to_json
from schools.years import year_label

STATUS_TAGS = {
    "met": "govuk-tag--green",
    "on_track": "govuk-tag--turquoise",
    "off_track": "govuk-tag--red",
    "no_data": "govuk-tag--grey",
}
STATUS_LABELS = {"met": "Met", "on_track": "On track", "off_track": "Off track", "no_data": "No data"}


def figure(value, unit):
    if value is None:
        return "no figure"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def points(value, unit):
    size = abs(value)
    if unit == "count":
        text = f"{size:,.0f}"
    elif unit == "score" and size < 10:
        text = f"{size:.2f}"  # Progress scores are published to two decimal places
    else:
        text = f"{size:.1f}"
    plural = "" if float(text.replace(",", "")) == 1 else "s"
    if unit == "percent":
        return f"{text} percentage point{plural}"
    return f"{text} point{plural}"


def gap_words(gap, unit, comparator):
    """A shortfall in words: positive = worse than the comparator, negative = better."""
    if gap is None:
        return "no figure"
    if abs(gap) < (0.005 if unit == "score" else 0.05):
        return f"level with {comparator}"
    return f"{points(gap, unit)} {'worse' if gap > 0 else 'better'} than {comparator}"


@dataclass
class TargetView:
    target: object
    status: str = "no_data"
    baseline: str = "Not known yet"
    goal: str = ""
    latest: str = "No data yet"
    latest_year: str = ""
    note: str = ""
    computed_at: object = None
    rows: list = field(default_factory=list)
    comparator: str = ""
    chart_json: str = ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def status_tag(self):
        return STATUS_TAGS[self.status]

    @property
    def gap_kind(self):
        return self.target.kind in ("at_or_better", "close_gap")

    @property
    def has_comparator(self):
        return any(row["comparator"] != "no figure" for row in self.rows)

    @property
    def chart_id(self):
        return f"target-chart-{self.target.pk}"


def present(target, *, chart=False):
    """Everything the pages say about one target, from its stored result."""
    result = getattr(target, "result", None)
    unit = target.unit
    comparator = (
        "statistical neighbours" if result is not None and result.comparator_used == "neighbours" else "England"
    )
    view = TargetView(target=target, comparator=comparator)
    view.goal = goal_words(target, result, unit, comparator)
    if result is None:
        view.note = "Progress has not been worked out yet."
        return view
    view.status = result.status
    view.note = result.note
    view.computed_at = result.computed_at
    gap_kind = result.measured == "gap"
    by_year = {row["year"]: row for row in result.rows}

    def describe(year, value):
        if gap_kind:
            row = by_year.get(year, {})
            words = gap_words(value, unit, comparator)
            if row.get("value") is not None and row.get("comparator") is not None:
                words += f" ({figure(row['value'], unit)} against {figure(row['comparator'], unit)})"
            return words
        return figure(value, unit)

    if result.baseline_year is not None:
        view.baseline = f"{describe(result.baseline_year, result.baseline_value)} in {year_label(result.baseline_year)}"
    if result.latest_year is not None:
        view.latest_year = year_label(result.latest_year)
        if result.latest_value is not None:
            view.latest = describe(result.latest_year, result.latest_value)
        else:
            view.latest = f"Withheld: {result.latest_note}" if result.latest_note else "No data yet"
    view.rows = [table_row(row, unit, comparator, gap_kind) for row in result.rows]
    if chart:
        view.chart_json = to_json(chart_figure(target, result, unit, comparator))
    return view


def goal_words(target, result, unit, comparator):
    year = year_label(target.target_year)
    kind = target.kind
    if kind == "reach":
        return f"{figure(target.target_value, unit)} by {year}"
    if kind == "at_or_better":
        return f"At or better than {comparator} by {year}"
    if kind == "close_gap":
        share = "half" if target.fraction == 0.5 else f"{(target.fraction or 0) * 100:.0f}%"
        text = f"Gap to {comparator} closed by {share} by {year}"
        if result is not None and result.target_value is not None:
            if result.target_value <= 0:
                text += f" (already level or better: stay at or better than {comparator})"
            else:
                text += f" (no more than {points(result.target_value, unit)} worse)"
        return text
    if kind == "change_percent":
        sign = "+" if (target.percent or 0) >= 0 else "−"
        text = f"{sign}{abs(target.percent or 0):g}% by {year}"
        if result is not None and result.target_value is not None:
            text += f" (to {figure(result.target_value, unit)})"
        return text
    return year


def table_row(row, unit, comparator, gap_kind):
    value = figure(row["value"], unit) if row["value"] is not None else (row["suppressed"] or "no figure")
    return {
        "year": year_label(row["year"]),
        "value": value,
        "comparator": figure(row["comparator"], unit) if row["comparator"] is not None else "no figure",
        "gap": gap_words(row["gap"], unit, comparator) if gap_kind and row["gap"] is not None else "",
        "line": (
            (gap_words(row["trajectory"], unit, comparator) if gap_kind else figure(row["trajectory"], unit))
            if row["trajectory"] is not None
            else "not set"
        ),
        "needed": figure(row["needed"], unit) if row["needed"] is not None else "not known",
    }


def chart_figure(target, result, unit, comparator):
    years = [year_label(row["year"]) for row in result.rows]
    series = [("Partnership", [row["value"] for row in result.rows])]
    series.append(("On-track line", [row["needed"] for row in result.rows]))
    if any(row["comparator"] is not None for row in result.rows):
        label = "England" if comparator == "England" else "Statistical neighbours (mean)"
        series.append((label, [row["comparator"] for row in result.rows]))
    y_title = {"percent": "%", "count": "number", "rate": "per 100 pupils"}.get(unit, "score")
    chart = line_chart(target.title, years, series, y_title=y_title, x_title="")
    # The target's heading names the chart; a title and an x-axis title repeated inside it get cut off
    # or collide with the legend on narrow screens.
    chart["layout"]["title"]["text"] = ""
    chart["layout"]["margin"]["t"] = 20
    return chart
