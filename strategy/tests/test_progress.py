"""Targets computed from the database: the Surrey KS2 "close the gap by half" case worked by hand,
the other sources (several LAs, neighbours, schools, Ofsted, manual series) and the recompute command."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from schools.models import Benchmark, LocalAuthority, Measure, School, Value
from strategy.models import GoodOrBetterRecord, ManualPoint, ManualSeries, Strategy, Target
from strategy.progress import recompute_target, recompute_targets

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "performance"
SURREY_KS2 = {
    2016: DATA / "dfe_ptables_2016-17_936_surrey_ks2final.csv",
    2017: DATA / "dfe_ptables_2017-18_936_surrey_ks2final.csv",
    2018: DATA / "dfe_ptables_2018-19_936_surrey_ks2final.csv",
}

pytestmark = pytest.mark.django_db


def measure(code, **defaults):
    defaults = {"label": code, "unit": "percent", "polarity": "higher", "kind": "ks2", **defaults}
    return Measure.objects.get_or_create(code=code, defaults=defaults)[0]


def read_summary_rows(path, column):
    """The Surrey LA row (RECTYPE 3) and the England state-funded row (RECTYPE 5) of a KS2 file."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = {row["RECTYPE"]: row for row in csv.DictReader(handle) if row["RECTYPE"] in ("3", "5")}

    def number(text):
        return float(text.strip().rstrip("%"))

    return number(rows["3"][column]), int(rows["3"]["TELIG"]), number(rows["5"][column])


def load_surrey(code, column):
    """Import the three Surrey KS2 files through the portal's importer, and read the same figures by hand."""
    from schools.imports.pipeline import run_path

    figures = {}
    for year, path in SURREY_KS2.items():
        record = run_path(path, source="command", la_codes=["936"])
        assert record.status == "done", record.message
        la, _pupils, england = read_summary_rows(path, column)
        figures[year] = (la, england)
    return Measure.objects.get(code=code), figures


@pytest.fixture
def strategy():
    return Strategy.objects.create(title="Education strategy", start_year=2017, end_year=2020)


def test_it_closes_the_surrey_ks2_gap_by_half_worked_by_hand(settings, strategy):
    settings.PARTNERSHIP_LA_CODES = ["936"]
    m, figures = load_surrey("ks2_rwm_exp", "PTRWM_EXP")
    # The files say: Surrey 67%, 70%, 70%; England (state-funded) 61%, 64%, 65%.
    assert figures == {2016: (67, 61), 2017: (70, 64), 2018: (70, 65)}
    target = Target.objects.create(
        strategy=strategy,
        title="KS2 expected standard: gap to England closed by half",
        kind="close_gap",
        source="la",
        measure=m,
        baseline_year=2016,
        target_year=2019,
        fraction=0.5,
    )
    result = recompute_target(target)
    # Baseline gap (shortfall) 2016/17: 61 - 67 = -6, i.e. Surrey 6 points ahead. There is no gap to
    # close, so the target gap is 0 (stay at or above England) rather than a lead halved to 3.
    assert (result.baseline_year, result.baseline_value) == (2016, -6)
    assert (result.target_year, result.target_value) == (2019, 0)
    # Latest gap 2018/19: 65 - 70 = -5: still ahead of England, so the target is met.
    assert (result.latest_year, result.latest_value) == (2018, -5)
    assert result.status == "met"
    assert result.measured == "gap" and result.comparator_used == "england"


def test_it_finds_surrey_disadvantaged_pupils_off_track_to_halve_their_gap(settings, strategy):
    settings.PARTNERSHIP_LA_CODES = ["936"]
    m, figures = load_surrey("ks2_dis_rwm_exp", "PTRWM_EXP_FSM6CLA1A")
    # Surrey's disadvantaged pupils 43%, 47%, 46%; England's disadvantaged pupils 47%, 51%, 51%.
    assert figures == {2016: (43, 47), 2017: (47, 51), 2018: (46, 51)}
    target = Target.objects.create(
        strategy=strategy,
        title="Disadvantaged pupils at KS2: gap halved",
        kind="close_gap",
        source="la",
        measure=m,
        baseline_year=2016,
        target_year=2019,
        fraction=0.5,
    )
    result = recompute_target(target)
    # Baseline gap 47 - 43 = 4; target gap 4 x (1 - 1/2) = 2 in 2019/20; latest gap 51 - 46 = 5.
    # The line for 2018/19 is 4 - (4 - 2) x 2/3 = 2.67; a gap of 5 is worse: off track.
    assert (result.baseline_value, result.target_value, result.latest_value) == (4, 2, 5)
    assert result.status == "off_track"
    needed = {row["year"]: row["needed"] for row in result.rows}
    # To be on the line in 2018/19 Surrey needed England's 51 less 2.67 = 48.33%.
    assert needed[2018] == pytest.approx(48.333, abs=0.001)


def test_it_weights_several_partnership_las_by_pupils(settings, strategy):
    settings.PARTNERSHIP_LA_CODES = ["851", "852"]
    m = measure("ks2_rwm_exp")
    Benchmark.objects.create(area="la", la_code="851", measure=m, year=2018, value=60, cohort=1000)
    Benchmark.objects.create(area="la", la_code="852", measure=m, year=2018, value=70, cohort=3000)
    Benchmark.objects.create(area="la", la_code="999", measure=m, year=2018, value=10, cohort=3000)
    target = Target.objects.create(
        strategy=strategy, title="KS2 70%", kind="reach", source="la", measure=m, target_year=2019, target_value=70
    )
    # (60 x 1000 + 70 x 3000) / 4000 = 67.5; LA 999 is not in the partnership.
    assert recompute_target(target).latest_value == pytest.approx(67.5)


def test_it_compares_with_statistical_neighbours_only_when_imported(settings, strategy):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    settings.STATISTICAL_NEIGHBOUR_LA_CODES = ["851", "852"]
    m = measure("abs_persistent", polarity="lower", kind="absence")
    for year, la, eng in ((2017, 12.0, 10.8), (2018, 11.0, 10.9)):
        Benchmark.objects.create(area="la", la_code="899", measure=m, year=year, value=la)
        Benchmark.objects.create(area="england", measure=m, year=year, value=eng)
    target = Target.objects.create(
        strategy=strategy,
        title="Persistent absence at or below neighbours",
        kind="at_or_better",
        source="la",
        measure=m,
        comparator="neighbours",
        baseline_year=2017,
        target_year=2019,
    )
    result = recompute_target(target)
    # No neighbour rows imported: England is used (11.0 vs 10.9 -> 0.1 worse) and the page says so.
    assert result.comparator_used == "england" and "England is used" in result.note
    assert result.latest_value == pytest.approx(0.1)
    for code, year, value in (("851", 2017, 11.0), ("852", 2017, 12.0), ("851", 2018, 11.2), ("852", 2018, 11.4)):
        Benchmark.objects.create(area="la", la_code=code, measure=m, year=year, value=value)
    result = recompute_target(target)
    # Neighbours 2018/19: (11.2 + 11.4) / 2 = 11.3; 11.0 is 0.3 lower (better): met.
    assert result.comparator_used == "neighbours"
    assert result.latest_value == pytest.approx(-0.3)
    assert result.status == "met"


def test_it_uses_the_phase_rows_for_absence(settings, strategy):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    m = measure("abs_persistent", polarity="lower", kind="absence")
    Benchmark.objects.create(area="la", la_code="899", measure=m, year=2018, phase="PRI", value=8.0)
    Benchmark.objects.create(area="england", measure=m, year=2018, phase="PRI", value=8.2)
    Benchmark.objects.create(area="la", la_code="899", measure=m, year=2018, phase="SEC", value=15.0)
    Benchmark.objects.create(area="england", measure=m, year=2018, phase="SEC", value=13.7)
    primary = Target.objects.create(
        strategy=strategy, title="Primary", kind="at_or_better", source="la", measure=m, phase="PRI", target_year=2019
    )
    secondary = Target.objects.create(
        strategy=strategy, title="Secondary", kind="at_or_better", source="la", measure=m, phase="SEC", target_year=2019
    )
    assert recompute_target(primary).status == "met"
    # One year only: the baseline is the latest figure itself, so it sits on the line (on track).
    result = recompute_target(secondary)
    assert result.latest_value == pytest.approx(1.3) and result.status == "on_track"


def make_schools(count, rating="Good", start=100000, **fields):
    la = LocalAuthority.objects.get_or_create(code="899", defaults={"name": "Northbridge"})[0]
    return [
        School.objects.create(
            urn=start + i,
            la=la,
            name=f"School {start + i}",
            governance="la_maintained",
            phase="primary",
            ofsted_rating=rating,
            **fields,
        )
        for i in range(count)
    ]


def test_it_computes_the_share_of_schools_good_or_better_and_suppresses_it_under_3(settings, strategy):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    target = Target.objects.create(
        strategy=strategy,
        title="All schools good or better",
        kind="reach",
        source="good_or_better",
        target_year=2030,
        target_value=100,
    )
    make_schools(2, "Good")
    recompute_targets()
    result = target.result
    assert result.status == "no_data" and result.latest_note == "fewer than 3 schools"
    make_schools(1, "Outstanding", start=200000)
    make_schools(1, "Requires improvement", start=300000)
    make_schools(1, "", start=400000)  # never inspected: not counted either way
    make_schools(1, "Inadequate", start=500000, status="closed")  # closed: not in scope
    recompute_targets()
    target.result.refresh_from_db()
    # 3 of 4 graded open schools are good or better: 75%.
    assert target.result.latest_value == 75
    assert GoodOrBetterRecord.objects.get().schools == 4


def test_it_adds_earlier_good_or_better_figures_from_a_manual_series(settings, strategy):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    series = ManualSeries.objects.create(name="Good or better (published)", unit="percent")
    ManualPoint.objects.create(series=series, year=2016, value=70, source="Ofsted statistics")
    make_schools(3, "Good")
    make_schools(1, "Requires improvement", start=300000)
    target = Target.objects.create(
        strategy=strategy,
        title="All schools good or better",
        kind="reach",
        source="good_or_better",
        manual_series=series,
        baseline_year=2016,
        target_year=2040,
        target_value=100,
    )
    recompute_targets()
    result = target.result
    assert (result.baseline_year, result.baseline_value) == (2016, 70)
    assert result.latest_value == 75


def test_it_suppresses_a_school_aggregate_under_10_pupils(settings, strategy):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    m = measure("ks2_rwm_exp")
    schools = make_schools(3)
    for school, value in zip(schools, (50, 60, 70), strict=True):
        Value.objects.create(school=school, measure=m, year=2018, value=value, cohort=3)
    target = Target.objects.create(
        strategy=strategy,
        title="KS2 from schools",
        kind="reach",
        source="schools",
        measure=m,
        target_year=2019,
        target_value=65,
    )
    result = recompute_target(target)
    assert result.status == "no_data" and result.latest_note == "fewer than 10 pupils"
    Value.objects.filter(school=schools[2]).update(cohort=4)
    # 10 pupils: (50 x 3 + 60 x 3 + 70 x 4) / 10 = 61.
    assert recompute_target(target).latest_value == pytest.approx(61)


def test_it_computes_trainees_plus_15_percent_from_a_manual_series(strategy):
    series = ManualSeries.objects.create(name="Teacher trainees", unit="count")
    for year, value in ((2016, 120), (2017, 125), (2018, 131)):
        ManualPoint.objects.create(series=series, year=year, value=value, source="ITT census")
    target = Target.objects.create(
        strategy=strategy,
        title="Trainees up 15%",
        kind="change_percent",
        source="manual",
        manual_series=series,
        baseline_year=2016,
        target_year=2019,
        percent=15,
    )
    result = recompute_target(target)
    # Target 120 x 1.15 = 138; line for 2018/19: 120 + 18 x 2/3 = 132; 131 is below: off track.
    assert result.target_value == pytest.approx(138)
    assert result.status == "off_track"
    ManualPoint.objects.filter(year=2018).update(value=132)
    assert recompute_target(target).status == "on_track"


def test_the_command_recomputes_every_target_and_says_how_many(strategy):
    Target.objects.create(strategy=strategy, title="A", kind="reach", source="manual", target_year=2019, target_value=1)
    out = StringIO()
    call_command("recompute_targets", stdout=out)
    assert "Recomputed 1 target(s)." in out.getvalue()
    assert Target.objects.get().result.status == "no_data"


def test_publishing_makes_one_strategy_current_and_keeps_the_old_one(strategy):
    newer = Strategy.objects.create(title="Next strategy", start_year=2021, end_year=2024)
    strategy.publish()
    newer.publish()
    strategy.refresh_from_db()
    assert Strategy.objects.current() == newer
    assert list(Strategy.objects.past()) == [strategy]
    assert strategy.status == "published"
