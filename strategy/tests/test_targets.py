"""The target engine alone (no database): every kind, worked by hand, and the status edges."""

import pytest

from strategy.targets import (
    Kind,
    Point,
    Spec,
    Status,
    Suppressed,
    combine_las,
    evaluate,
    neighbour_mean,
    school_mean,
    school_share,
    trajectory,
    year_label,
)


def test_it_labels_academic_years_by_their_start():
    assert year_label(2016) == "2016/17"
    assert year_label(2099) == "2099/00"


def test_it_draws_a_straight_line_flat_outside_baseline_and_target():
    baseline, target = Point(2016, 80.0), Point(2020, 100.0)
    assert trajectory(baseline, target, 2015) == 80
    assert trajectory(baseline, target, 2018) == 90
    assert trajectory(baseline, target, 2021) == 100


# Reach a value: share of schools good or better, 80% in 2016/17, target 100% by 2019/20.
REACH = Spec(kind=Kind.REACH, baseline_year=2016, target_year=2019, target_value=100)


def test_it_reports_reach_on_track_when_the_latest_value_is_on_or_above_the_line():
    # Line for 2018/19: 80 + (100 - 80) x 2/3 = 93.33.
    result = evaluate(REACH, {2016: 80, 2017: 85, 2018: 94})
    assert result.baseline == Point(2016, 80)
    assert result.target == Point(2019, 100)
    assert result.latest == Point(2018, 94)
    assert result.trajectory_at(2018) == pytest.approx(93.333, abs=0.001)
    assert result.status == Status.ON_TRACK
    assert result.status_label == "On track"


def test_it_reports_reach_off_track_just_below_the_line():
    assert evaluate(REACH, {2016: 80, 2018: 93.3}).status == Status.OFF_TRACK


def test_it_reports_reach_met_when_the_latest_value_reaches_the_target():
    assert evaluate(REACH, {2016: 80, 2018: 100}).status == Status.MET


def test_it_counts_a_value_exactly_on_the_line_as_on_track():
    spec = Spec(kind=Kind.REACH, baseline_year=2016, target_year=2020, target_value=100)
    # Line for 2018/19: 70 + 30 x 2/4 = 85 exactly.
    assert evaluate(spec, {2016: 70, 2018: 85}).status == Status.ON_TRACK
    assert evaluate(spec, {2016: 70, 2018: 84.9}).status == Status.OFF_TRACK


def test_it_reports_off_track_after_the_target_year_unless_met():
    # Past the target year the line stays at the target: only met or off track remain.
    assert evaluate(REACH, {2016: 80, 2020: 99}).status == Status.OFF_TRACK
    assert evaluate(REACH, {2016: 80, 2020: 100}).status == Status.MET


def test_it_takes_the_first_year_with_data_as_baseline_when_none_is_given():
    spec = Spec(kind=Kind.REACH, target_year=2019, target_value=100)
    result = evaluate(spec, {2017: 90, 2018: 96})
    assert result.baseline == Point(2017, 90)
    # Line for 2018/19: 90 + 10 x 1/2 = 95.
    assert result.status == Status.ON_TRACK


def test_it_reaches_a_lower_is_better_value_from_above():
    # Overall absence 5.0% in 2016/17 down to 4.0% by 2020/21; line for 2018/19 is 4.5%.
    spec = Spec(kind=Kind.REACH, baseline_year=2016, target_year=2020, target_value=4.0, lower_is_better=True)
    assert evaluate(spec, {2016: 5.0, 2018: 4.5}).status == Status.ON_TRACK
    assert evaluate(spec, {2016: 5.0, 2018: 4.6}).status == Status.OFF_TRACK
    assert evaluate(spec, {2016: 5.0, 2018: 3.9}).status == Status.MET


# At or better than England, lower is better: persistent absence.
AT_OR_BETTER = Spec(kind=Kind.AT_OR_BETTER, baseline_year=2016, target_year=2019, lower_is_better=True)
ENGLAND_PA = {2016: 10.8, 2017: 10.8, 2018: 10.9}


def test_it_measures_at_or_better_as_a_gap_that_must_reach_zero():
    # 2016/17: 12.0 vs 10.8 -> 1.2 points worse; 2017/18: 11.0 vs 10.8 -> 0.2 worse.
    # Line for 2017/18: 1.2 - 1.2 x 1/3 = 0.8; 0.2 is better (smaller) -> on track.
    result = evaluate(AT_OR_BETTER, {2016: 12.0, 2017: 11.0}, ENGLAND_PA)
    assert result.measured == "gap"
    assert result.baseline.value == pytest.approx(1.2)
    assert result.target == Point(2019, 0.0)
    assert result.latest.value == pytest.approx(0.2)
    assert result.status == Status.ON_TRACK


def test_it_reports_at_or_better_met_once_level_or_better():
    # 2018/19: 10.5 vs 10.9 -> 0.4 better than England.
    result = evaluate(AT_OR_BETTER, {2016: 12.0, 2018: 10.5}, ENGLAND_PA)
    assert result.latest.value == pytest.approx(-0.4)
    assert result.status == Status.MET
    assert evaluate(AT_OR_BETTER, {2016: 12.0, 2018: 10.9}, ENGLAND_PA).status == Status.MET


def test_it_reports_at_or_better_off_track_when_the_gap_widens():
    # 2017/18: 12.0 vs 10.8 -> 1.2 worse, above the 0.8 line.
    assert evaluate(AT_OR_BETTER, {2016: 12.0, 2017: 12.0}, ENGLAND_PA).status == Status.OFF_TRACK


def test_it_treats_higher_is_better_gaps_the_other_way_round():
    spec = Spec(kind=Kind.AT_OR_BETTER, baseline_year=2016, target_year=2018)
    # KS2 62 vs 61 -> 1 point ahead: met. 60 vs 61 -> 1 behind.
    assert evaluate(spec, {2016: 60, 2017: 62}, {2016: 61, 2017: 61}).status == Status.MET
    result = evaluate(spec, {2016: 58, 2017: 60}, {2016: 61, 2017: 61})
    # Baseline gap 3, target 0 in 2018/19: line for 2017/18 is 1.5; latest gap 1 -> on track.
    assert (result.baseline.value, result.latest.value, result.status) == (3, 1, Status.ON_TRACK)


# Close the gap by half (made-up figures; the Surrey data is in test_progress).
CLOSE = Spec(kind=Kind.CLOSE_GAP, baseline_year=2016, target_year=2019, fraction=0.5)


def test_it_halves_the_baseline_gap():
    # 2016/17: 55 vs 61 -> gap 6; target gap 3 in 2019/20; line for 2018/19: 6 - 3 x 2/3 = 4.
    england = {2016: 61, 2017: 62, 2018: 64}
    result = evaluate(CLOSE, {2016: 55, 2017: 57, 2018: 60}, england)
    assert result.baseline == Point(2016, 6)
    assert result.target == Point(2019, 3)
    assert result.latest == Point(2018, 4)
    assert result.status == Status.ON_TRACK
    assert evaluate(CLOSE, {2016: 55, 2018: 59.9}, england).status == Status.OFF_TRACK
    assert evaluate(CLOSE, {2016: 55, 2018: 61}, england).status == Status.MET


def test_it_turns_halving_a_lead_into_staying_ahead():
    result = evaluate(CLOSE, {2016: 63, 2018: 64.5}, {2016: 61, 2018: 64})
    assert result.baseline.value == -2
    assert result.target.value == 0
    assert result.status == Status.MET
    assert "stay" in result.note
    assert evaluate(CLOSE, {2016: 63, 2018: 63}, {2016: 61, 2018: 64}).status == Status.OFF_TRACK


def test_it_closes_a_lower_is_better_gap():
    spec = Spec(kind=Kind.CLOSE_GAP, baseline_year=2016, target_year=2018, fraction=0.5, lower_is_better=True)
    # Persistent absence 14 vs 10 -> gap 4, target 2 by 2018/19, line for 2017/18 is 3.
    assert evaluate(spec, {2016: 14, 2017: 13}, {2016: 10, 2017: 10}).status == Status.ON_TRACK
    assert evaluate(spec, {2016: 14, 2017: 13.5}, {2016: 10, 2017: 10}).status == Status.OFF_TRACK
    assert evaluate(spec, {2016: 14, 2017: 12}, {2016: 10, 2017: 10}).status == Status.MET


def test_it_cannot_close_a_gap_without_a_baseline():
    result = evaluate(CLOSE, {2017: 57, 2018: 60}, {2017: 62, 2018: 64})
    assert result.baseline is None and result.target is None
    assert result.status == Status.NO_DATA
    assert "2016/17" in result.note


def test_it_ignores_years_without_a_comparator():
    result = evaluate(CLOSE, {2016: 55, 2018: 60, 2019: 63}, {2016: 61, 2018: 64})
    assert result.latest == Point(2018, 4)


# Change by a percentage from a manual series: trainees +15% from 120 in 2016/17 by 2019/20.
CHANGE = Spec(kind=Kind.CHANGE_PERCENT, baseline_year=2016, target_year=2019, percent=15)


def test_it_computes_a_percentage_change_target():
    # Target 120 x 1.15 = 138; line for 2018/19: 120 + 18 x 2/3 = 132.
    result = evaluate(CHANGE, {2016: 120, 2017: 126, 2018: 132})
    assert result.target.value == pytest.approx(138)
    assert result.status == Status.ON_TRACK
    assert evaluate(CHANGE, {2016: 120, 2018: 131}).status == Status.OFF_TRACK
    assert evaluate(CHANGE, {2016: 120, 2018: 138}).status == Status.MET


def test_it_computes_a_percentage_fall_when_lower_is_better():
    spec = Spec(kind=Kind.CHANGE_PERCENT, baseline_year=2016, target_year=2018, percent=-10, lower_is_better=True)
    # 5.0 -> target 4.5; line for 2017/18: 4.75.
    assert evaluate(spec, {2016: 5.0, 2017: 4.7}).status == Status.ON_TRACK
    assert evaluate(spec, {2016: 5.0, 2017: 4.8}).status == Status.OFF_TRACK
    assert evaluate(spec, {2016: 5.0, 2017: 4.5}).status == Status.MET


def test_it_needs_the_baseline_for_a_percentage_change():
    result = evaluate(CHANGE, {2017: 126, 2018: 140})
    assert result.status == Status.NO_DATA and result.target is None


# No data and suppression.


@pytest.mark.parametrize("spec", [REACH, AT_OR_BETTER, CLOSE, CHANGE])
def test_it_reports_no_data_without_figures(spec):
    result = evaluate(spec, {}, {})
    assert result.status == Status.NO_DATA
    assert result.latest is None


def test_it_reports_no_data_when_the_latest_figure_is_suppressed():
    result = evaluate(REACH, {2016: 80, 2017: 90, 2018: Suppressed("fewer than 3 schools")})
    assert result.status == Status.NO_DATA
    assert result.latest is None and result.latest_year == 2018
    assert result.latest_note == "fewer than 3 schools"
    assert result.rows[-2]["suppressed"] == "fewer than 3 schools"


def test_it_keeps_a_suppressed_figure_visible_in_a_gap_series():
    result = evaluate(AT_OR_BETTER, {2016: 12.0, 2017: Suppressed("fewer than 10 pupils")}, ENGLAND_PA)
    assert result.status == Status.NO_DATA and result.latest_note == "fewer than 10 pupils"


def test_it_gives_one_table_row_a_year_with_the_line_and_the_figure_needed():
    england = {2016: 61, 2017: 62, 2018: 64}
    rows = evaluate(CLOSE, {2016: 55, 2017: 57, 2018: 60}, england).rows
    assert [r["year"] for r in rows] == [2016, 2017, 2018, 2019]
    assert rows[1]["gap"] == 5 and rows[1]["trajectory"] == pytest.approx(5)
    # Needed in 2017/18: England 62 minus the line's gap of 5 = 57.
    assert rows[1]["needed"] == pytest.approx(57)
    assert rows[3]["value"] is None and rows[3]["trajectory"] == 3


# Aggregation.


def test_it_weights_several_las_by_pupils_or_falls_back_to_a_simple_mean():
    assert combine_las([(60, 100), (70, 300)]) == pytest.approx(67.5)
    assert combine_las([(60, 100), (70, None)]) == pytest.approx(65)
    assert combine_las([(60, None)]) == 60
    assert combine_las([]) is None


def test_it_takes_the_neighbours_mean_only_for_years_all_have():
    by_la = {"851": {2016: 60, 2017: 62}, "852": {2016: 64}}
    assert neighbour_mean(by_la, ["851", "852"]) == {2016: 62}
    assert neighbour_mean(by_la, []) == {}


def test_it_suppresses_school_aggregates_over_fewer_than_3_schools_or_10_pupils():
    assert school_mean([(50, 20), (60, 20)]) == Suppressed("fewer than 3 schools")
    assert str(school_mean([(50, 3), (60, 3), (70, 3)])) == "fewer than 10 pupils"
    # 3 schools, 10 pupils: (50 x 2 + 60 x 3 + 70 x 5) / 10 = 63.
    assert school_mean([(50, 2), (60, 3), (70, 5)]) == pytest.approx(63)
    assert school_share([True, False]) == Suppressed("fewer than 3 schools")
    assert school_share([True, True, False, True]) == 75
