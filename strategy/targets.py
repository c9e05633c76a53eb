"""Progress against a strategy target, computed from plain series. No Django here: tested alone.

A series is a dict {academic year (start year, 2018 = 2018/19): figure}, where a figure is a number
or a `Suppressed` (an aggregate over too few schools or pupils to publish). The four kinds:

- REACH: reach a value by the target year (e.g. 100% of schools good or better).
- AT_OR_BETTER: be at or better than a comparator (England, or statistical neighbours).
- CLOSE_GAP: close the gap to the comparator by a fraction from the baseline year
  (target gap = baseline gap x (1 - fraction)).
- CHANGE_PERCENT: change by a percentage from the baseline year (target = baseline x (1 + p/100)).

The comparator kinds track the *gap*, measured as a shortfall so that smaller is always better:
comparator - value when higher is better, value - comparator when lower is better. A positive gap
means behind the comparator, a negative one ahead of it. When the partnership is already level with
or ahead of the comparator in the baseline year there is no gap to close, so a CLOSE_GAP target
becomes "stay at or better than" (target gap 0): halving a lead would allow things to get worse.

Status, as the strategy pages show it:
- "met" when the latest figure reaches the target;
- "on track" when the latest figure is at least as good as the straight line from the baseline
  (year, figure) to the target (year, figure) gives for the latest year (flat before the baseline
  and after the target year, so past the target year only "met" or "off track" remain);
- "off track" otherwise;
- "no data" without a latest figure (none at all, the latest year suppressed, or, for kinds whose
  target depends on it, no baseline figure).
"""

from dataclasses import dataclass, field

from schools.years import year_label

# Floating point noise (e.g. 61 - 67 * 0.5) must not flip a status on an exact edge.
TOLERANCE = 1e-9

MIN_SCHOOLS = 3
MIN_PUPILS = 10


class Kind:
    REACH = "reach"
    AT_OR_BETTER = "at_or_better"
    CLOSE_GAP = "close_gap"
    CHANGE_PERCENT = "change_percent"

    GAP_KINDS = (AT_OR_BETTER, CLOSE_GAP)


class Status:
    MET = "met"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.MET: "Met",
    Status.ON_TRACK: "On track",
    Status.OFF_TRACK: "Off track",
    Status.NO_DATA: "No data",
}


@dataclass(frozen=True)
class Suppressed:
    """A figure withheld because it rests on too few schools or pupils; the reason is shown instead."""

    reason: str

    def __str__(self):
        return self.reason


@dataclass(frozen=True)
class Point:
    year: int
    value: float


@dataclass(frozen=True)
class Spec:
    kind: str
    target_year: int
    lower_is_better: bool = False
    baseline_year: int | None = None
    target_value: float | None = None  # REACH
    fraction: float | None = None  # CLOSE_GAP, e.g. 0.5 for "by half"
    percent: float | None = None  # CHANGE_PERCENT, e.g. 15 for +15%


@dataclass
class Result:
    status: str
    measured: str  # "value" or "gap": what baseline, target, latest and the trajectory are in
    baseline: Point | None = None
    target: Point | None = None
    latest: Point | None = None
    latest_year: int | None = None  # also set when the latest figure is suppressed
    latest_note: str = ""  # e.g. "fewer than 3 schools"
    note: str = ""
    rows: list = field(default_factory=list)  # one dict a year, for the chart and its table

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    def trajectory_at(self, year):
        return trajectory(self.baseline, self.target, year)


def is_number(figure):
    return isinstance(figure, (int, float)) and not isinstance(figure, bool)



def at_least_as_good(a, b, lower_is_better):
    if lower_is_better:
        return a <= b + TOLERANCE
    return a >= b - TOLERANCE


def gap(value, comparator, lower_is_better):
    """The shortfall against the comparator: positive = behind, negative = ahead."""
    return value - comparator if lower_is_better else comparator - value


def trajectory(baseline, target, year):
    """The straight line from baseline to target, flat before the baseline and after the target."""
    if target is None:
        return None
    if baseline is None or year >= target.year:
        return target.value
    if year <= baseline.year:
        return baseline.value
    share = (year - baseline.year) / (target.year - baseline.year)
    return baseline.value + (target.value - baseline.value) * share


def evaluate(spec, series, comparator=None):
    """Compute baseline, target, latest, trajectory and status for one target.

    series: the partnership's figures {year: number | Suppressed}; comparator: {year: number} for
    the gap kinds (England or statistical neighbours).
    """
    series = {y: f for y, f in (series or {}).items() if f is not None}
    comparator = {y: f for y, f in (comparator or {}).items() if is_number(f)}
    if spec.kind in Kind.GAP_KINDS:
        return _evaluate_gap(spec, series, comparator)
    if spec.kind in (Kind.REACH, Kind.CHANGE_PERCENT):
        return _evaluate_value(spec, series, comparator)
    raise ValueError(f"unknown target kind {spec.kind!r}")


def _evaluate_value(spec, series, comparator):
    better_lower = spec.lower_is_better
    numbers = {y: f for y, f in series.items() if is_number(f)}
    result = Result(status=Status.NO_DATA, measured="value")

    baseline_year = spec.baseline_year if spec.baseline_year is not None else min(numbers, default=None)
    if baseline_year is not None and baseline_year in numbers:
        result.baseline = Point(baseline_year, float(numbers[baseline_year]))

    if spec.kind == Kind.REACH:
        if spec.target_value is None:
            result.note = "The target has no value to reach."
        else:
            result.target = Point(spec.target_year, float(spec.target_value))
    else:
        if result.baseline is None:
            result.note = (
                f"No figure for the baseline year {year_label(baseline_year)}, so the target cannot be set."
                if baseline_year is not None
                else "No figures yet, so the target cannot be set."
            )
        elif spec.percent is None:
            result.note = "The target has no percentage change."
        else:
            result.target = Point(spec.target_year, result.baseline.value * (1 + spec.percent / 100))

    _find_latest(result, series, numbers, baseline_year)
    _judge(result, better_lower)
    result.rows = _rows(result, series, comparator, spec, measured_gap=False)
    return result


def _evaluate_gap(spec, series, comparator):
    better_lower = spec.lower_is_better
    gaps = {
        y: gap(float(f), comparator[y], better_lower) for y, f in series.items() if is_number(f) and y in comparator
    }
    # A suppressed partnership figure stays visible as such in the gap series.
    tracked = {**{y: f for y, f in series.items() if isinstance(f, Suppressed)}, **gaps}
    result = Result(status=Status.NO_DATA, measured="gap")

    baseline_year = spec.baseline_year if spec.baseline_year is not None else min(gaps, default=None)
    if baseline_year is not None and baseline_year in gaps:
        result.baseline = Point(baseline_year, gaps[baseline_year])

    if spec.kind == Kind.AT_OR_BETTER:
        result.target = Point(spec.target_year, 0.0)
    elif result.baseline is None:
        result.note = (
            f"No partnership and comparator figures for the baseline year {year_label(baseline_year)}, "
            "so the gap to close is not known."
            if baseline_year is not None
            else "No figures yet, so the gap to close is not known."
        )
    elif spec.fraction is None:
        result.note = "The target has no fraction of the gap to close."
    elif result.baseline.value <= TOLERANCE:
        result.target = Point(spec.target_year, 0.0)
        result.note = "Already level with or ahead of the comparator in the baseline year: the target is to stay so."
    else:
        result.target = Point(spec.target_year, result.baseline.value * (1 - spec.fraction))

    _find_latest(result, tracked, gaps, baseline_year)
    # The gap is a shortfall: smaller is always better, whatever the measure's polarity.
    _judge(result, lower_is_better=True)
    result.rows = _rows(result, series, comparator, spec, measured_gap=True)
    return result


def _find_latest(result, tracked, numbers, baseline_year):
    years = [y for y in tracked if baseline_year is None or result.baseline is None or y >= baseline_year]
    if not years:
        return
    latest_year = max(years)
    result.latest_year = latest_year
    figure = tracked[latest_year]
    if isinstance(figure, Suppressed):
        result.latest_note = figure.reason
    else:
        result.latest = Point(latest_year, float(numbers[latest_year]))


def _judge(result, lower_is_better):
    if result.latest is None or result.target is None:
        result.status = Status.NO_DATA
        if result.latest is None and result.latest_note and not result.note:
            result.note = f"The latest figure is withheld: {result.latest_note}."
        return
    if at_least_as_good(result.latest.value, result.target.value, lower_is_better):
        result.status = Status.MET
        return
    expected = trajectory(result.baseline, result.target, result.latest.year)
    if result.baseline is not None and at_least_as_good(result.latest.value, expected, lower_is_better):
        result.status = Status.ON_TRACK
    else:
        result.status = Status.OFF_TRACK


def _rows(result, series, comparator, spec, *, measured_gap):
    """Year by year: the partnership's figure, the comparator, the gap and the on-track line."""
    years = set(series) | set(comparator)
    for point in (result.baseline, result.target):
        if point is not None:
            years.add(point.year)
    start = result.baseline.year if result.baseline else min(years, default=None)
    rows = []
    for year in sorted(years):
        figure = series.get(year)
        comp = comparator.get(year)
        line = None
        if result.target is not None and start is not None and year >= start:
            line = trajectory(result.baseline, result.target, year)
        row = {
            "year": year,
            "value": float(figure) if is_number(figure) else None,
            "suppressed": figure.reason if isinstance(figure, Suppressed) else "",
            "comparator": comp,
            "gap": None,
            "trajectory": line,
            "needed": line,  # the partnership figure the line asks for, in the measure's own terms
        }
        if measured_gap:
            row["gap"] = (
                gap(row["value"], comp, spec.lower_is_better)
                if (row["value"] is not None and comp is not None)
                else None
            )
            row["needed"] = None
            if line is not None and comp is not None:
                row["needed"] = comp + line if spec.lower_is_better else comp - line
        rows.append(row)
    return rows


# Aggregation of plain figures into a partnership series.


def combine_las(rows):
    """One partnership figure from several LA rows [(value, pupils or None)].

    Pupil-weighted mean when every row has its pupil count (the LA rows' own cohort); otherwise a
    simple mean, since weighting some rows and not others would be arbitrary. None without rows.
    """
    rows = [(float(v), c) for v, c in rows if is_number(v)]
    if not rows:
        return None
    if len(rows) == 1:
        return rows[0][0]
    if all(c for _, c in rows):
        total = sum(c for _, c in rows)
        return sum(v * c for v, c in rows) / total
    return sum(v for v, _ in rows) / len(rows)


def neighbour_mean(series_by_la, codes):
    """Statistical neighbours' comparator: the mean of their own LA figures, for years all of them have."""
    codes = list(codes)
    if not codes:
        return {}
    years = None
    for code in codes:
        present = {y for y, f in series_by_la.get(code, {}).items() if is_number(f)}
        years = present if years is None else years & present
    return {y: sum(float(series_by_la[c][y]) for c in codes) / len(codes) for y in sorted(years or ())}


def school_mean(rows, min_schools=MIN_SCHOOLS, min_pupils=MIN_PUPILS):
    """A partnership figure from school figures [(value, pupils or None)], pupil-weighted.

    Suppressed over fewer than `min_schools` schools, or fewer than `min_pupils` pupils where pupil
    counts are known. Schools without a count are weighted as the mean of those with one, or the
    mean is simple when no school has a count.
    """
    rows = [(float(v), c) for v, c in rows if is_number(v)]
    if len(rows) < min_schools:
        return Suppressed(f"fewer than {min_schools} schools")
    counts = [c for _, c in rows if c]
    if counts and sum(counts) < min_pupils:
        return Suppressed(f"fewer than {min_pupils} pupils")
    if not counts:
        return sum(v for v, _ in rows) / len(rows)
    fill = sum(counts) / len(counts)
    weights = [c if c else fill for _, c in rows]
    return sum(v * w for (v, _), w in zip(rows, weights, strict=True)) / sum(weights)


def school_share(flags, min_schools=MIN_SCHOOLS):
    """The percentage of schools for which the flag is true (e.g. judged good or better)."""
    flags = list(flags)
    if len(flags) < min_schools:
        return Suppressed(f"fewer than {min_schools} schools")
    return 100 * sum(1 for f in flags if f) / len(flags)
