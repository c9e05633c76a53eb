"""The rating engine alone (no database): Ofsted, priority, reasons, trend flags and rule sets as data."""

import ast
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from dashboard import ratings
from dashboard.ratings import (
    Band,
    ComparatorKind,
    Comparators,
    Figure,
    IncompleteRuleSet,
    MeasureRule,
    Priority,
    RuleSet,
    SchoolFacts,
    UnknownMeasure,
    default_rule_set,
    rate_school,
)

from .catalogue import CATALOGUE
from .rating_helpers import (
    ENGLAND,
    RATING_DATE,
    YEAR,
    band_of,
    comparators,
    rate,
    school,
)

# ---- Ofsted ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome,band",
    [
        ("Outstanding", Band.GREEN),
        ("Good", Band.GREEN),
        ("Requires improvement", Band.AMBER),
        ("Requires Improvement", Band.AMBER),
        ("Serious Weaknesses", Band.RED),
        ("Special Measures", Band.RED),
        ("Inadequate", Band.RED),
        ("", Band.NOT_RATED),
        ("No Data", Band.NOT_RATED),
        ("Secure", Band.NOT_RATED),
        ("Exceptional", Band.NOT_RATED),
    ],
)
def test_it_maps_ofsted_outcomes_as_the_register_writes_them(outcome, band):
    assert ratings.OfstedRule().band(outcome) is band


@pytest.mark.parametrize(
    "date,flag",
    [(dt.date(2014, 10, 31), True), (dt.date(2014, 11, 1), False), (dt.date(2018, 1, 1), False), (None, False)],
)
def test_it_flags_an_inspection_more_than_five_years_before_the_rating_date(date, flag):
    result = rate({"ks2_rwm_exp": 70.0}, school(ofsted="Good", ofsted_date=date))
    assert result.inspection_age_flag is flag
    assert ("inspection over 5 years ago" in result.flags) is flag
    assert result.priority is Priority.P3  # shown, not counted


# ---- priority ----------------------------------------------------------------------------------

# Values that give each band on the primary rules: RWM vs 65, progress vs 0, absence vs PRI rows.
RED_VALUES = {
    "ks2_rwm_exp": 40.0,
    "ks2_read_prog": -3.0,
    "ks2_writ_prog": -3.0,
    "ks2_mat_prog": -3.0,
    "abs_overall": 6.0,
    "abs_persistent": 20.0,
}
AMBER_VALUES = {
    "ks2_rwm_exp": 62.0,
    "ks2_read_prog": -1.0,
    "ks2_writ_prog": -1.0,
    "ks2_mat_prog": -1.0,
    "abs_overall": 4.5,
    "abs_persistent": 9.0,
}
GREEN_VALUES = {
    "ks2_rwm_exp": 70.0,
    "ks2_read_prog": 1.0,
    "ks2_writ_prog": 1.0,
    "ks2_mat_prog": 1.0,
    "abs_overall": 3.0,
    "abs_persistent": 5.0,
}
CODES = list(RED_VALUES)


def figures_with(red=0, amber=0, green=None):
    values = {}
    codes = iter(CODES)
    for _ in range(red):
        c = next(codes)
        values[c] = RED_VALUES[c]
    for _ in range(amber):
        c = next(codes)
        values[c] = AMBER_VALUES[c]
    for c in codes if green is None else list(codes)[:green]:
        values[c] = GREEN_VALUES[c]
    return values


@pytest.mark.parametrize(
    "red,amber,ofsted,priority",
    [
        (0, 0, "Good", Priority.P3),
        (0, 0, "", Priority.P3),
        (0, 2, "Good", Priority.P3),
        (0, 3, "Good", Priority.P2),
        (1, 0, "Good", Priority.P2),
        (2, 0, "Outstanding", Priority.P2),
        (2, 4, "Good", Priority.P2),
        (3, 0, "Good", Priority.P1),
        (4, 2, "", Priority.P1),
        (0, 0, "Requires improvement", Priority.P2),
        (0, 0, "Inadequate", Priority.P1),
        (0, 0, "Special Measures", Priority.P1),
        (0, 0, "Serious Weaknesses", Priority.P1),
        (0, 3, "Requires Improvement", Priority.P2),
        (3, 0, "Requires improvement", Priority.P1),
    ],
)
def test_it_sets_the_priority_from_red_and_amber_core_measures_and_ofsted(red, amber, ofsted, priority):
    result = rate(figures_with(red, amber), school(ofsted=ofsted))
    assert len(result.red_core) == red and len(result.amber_core) == amber
    assert result.priority is priority
    assert result.reasons.startswith(f"P{priority.value}: ")


def test_it_counts_only_core_measures_toward_priority():
    base = default_rule_set(YEAR, CATALOGUE)
    rules = {
        **base.rules,
        "ks2_rwm_high": MeasureRule("ks2_rwm_high", ComparatorKind.FIXED, fixed_value=20, amber_width=2, core=False),
    }
    rule_set = replace(base, rules=rules)
    result = rate({"ks2_rwm_high": 1.0, **GREEN_VALUES}, rule_set=rule_set)
    assert band_of(result, "ks2_rwm_high") is Band.RED
    assert result.priority is Priority.P3


def test_a_school_with_nothing_rated_and_no_ofsted_is_not_rated_never_p3():
    figures = {"ks2_rwm_exp": Figure(None, "SUPP"), "ks2_read_prog": Figure(3.0, cohort=5)}
    result = rate(figures, school(ofsted="No Data"))
    assert result.priority is Priority.NOT_RATED
    assert result.reasons.startswith("Not rated")
    # Ofsted alone is enough to be rated.
    assert rate({}, school(ofsted="Good")).priority is Priority.P3


def test_it_writes_the_reasons_with_values_and_comparators():
    facts = school(ofsted="Requires improvement")
    result = rate(
        {"ks2_rwm_exp": 48.0, "ks2_read_prog": -2.5, "ks2_writ_prog": -3.25, "ks2_mat_prog": -1.0, "abs_overall": 4.5},
        facts,
    )
    assert result.priority is Priority.P1
    assert result.reasons == (
        "P1: Ofsted requires improvement; 3 red core measures: KS2 RWM 48% vs 65% national (2018/19), "
        "KS2 reading progress -2.5 vs 0 (2018/19), KS2 writing progress -3.25 vs 0 (2018/19); "
        "2 amber core measures: KS2 maths progress -1 vs 0 (2018/19), overall absence 4.5% vs 4% national (2018/19)"
    )
    inadequate = rate({"ks2_rwm_exp": 48.0}, school(ofsted="Special Measures"))
    assert inadequate.reasons == (
        "P1: Ofsted special measures (inadequate); 1 red core measure: KS2 RWM 48% vs 65% national (2018/19)"
    )
    green = rate(GREEN_VALUES, school(ofsted="Good"))
    assert green.reasons == "P3: no red or amber core measures"


def test_it_uses_the_priority_thresholds_of_the_rule_set():
    rule_set = replace(default_rule_set(YEAR, CATALOGUE), thresholds=ratings.PriorityThresholds(p1_red=2, p2_red=2, p2_amber=1))
    assert rate(figures_with(red=2), rule_set=rule_set).priority is Priority.P1
    assert rate(figures_with(red=0, amber=1), rule_set=rule_set).priority is Priority.P2
    assert rate(figures_with(red=0, amber=0), rule_set=rule_set).priority is Priority.P3


# ---- trend flag ----------------------------------------------------------------------------------


def trend_figures(values):
    return {
        ("ks2_rwm_exp", y): Figure(v, cohort=30) if v is not None else Figure(None, "SUPP") for y, v in values.items()
    }


def trend_comps(years):
    c = Comparators()
    for y in years:
        c.add("england", "", "ks2_rwm_exp", y, "", 65.0)
    return c


@pytest.mark.parametrize(
    "values,flag",
    [
        ({2016: 60, 2017: 61, 2018: 64}, True),
        ({2016: 60, 2017: 65, 2018: 64}, False),  # at the comparator is not below
        ({2017: 61, 2018: 64}, False),  # only two years with data
        ({2015: 50, 2016: 60, 2017: None, 2018: 64}, True),  # a suppressed year is skipped
        ({2015: 70, 2016: 60, 2017: 61, 2018: 64}, True),  # only the last three with data count
        ({2016: 60, 2017: 61, 2018: 70}, False),
    ],
)
def test_it_flags_a_core_measure_below_its_comparator_three_years_running(values, flag):
    result = rate_school(
        default_rule_set(2018, CATALOGUE), school(), trend_figures(values), 2018, trend_comps(values), RATING_DATE
    )
    measure = result.measures[0]
    assert measure.trend is flag
    assert any(f.startswith("trend: KS2 RWM") for f in result.flags) is flag


def test_the_trend_flag_does_not_change_the_priority():
    result = rate_school(
        default_rule_set(2018, CATALOGUE),
        school(ofsted="Good"),
        trend_figures({2016: 64, 2017: 64, 2018: 64.5}),
        2018,
        trend_comps([2016, 2017, 2018]),
        RATING_DATE,
    )
    assert result.measures[0].trend and result.measures[0].band is Band.AMBER
    assert result.priority is Priority.P3


def test_lower_is_better_trend_uses_polarity():
    figs = {("abs_overall", y): Figure(v) for y, v in {2016: 4.5, 2017: 4.2, 2018: 4.1}.items()}
    c = Comparators()
    for y in (2016, 2017, 2018):
        c.add("england", "", "abs_overall", y, "PRI", 4.0)
    result = rate_school(default_rule_set(2018, CATALOGUE), school(), figs, 2018, c, RATING_DATE)
    assert band_of(result, "abs_overall") is Band.AMBER
    assert next(m for m in result.measures if m.measure == "abs_overall").trend


# ---- rule sets as data ---------------------------------------------------------------------------


def test_the_default_rule_set_is_the_product_table():
    rules = default_rule_set(2018, CATALOGUE).rules
    assert list(rules) == list(ratings.DEFAULT_CORE_CODES)
    assert {c: (r.comparator.value, r.fixed_value, r.amber_width) for c, r in rules.items()} == {
        "ks2_rwm_exp": ("england", None, 5),
        "ks2_read_prog": ("fixed", 0, 2),
        "ks2_writ_prog": ("fixed", 0, 2),
        "ks2_mat_prog": ("fixed", 0, 2),
        "ks4_att8": ("england", None, 3),
        "ks4_p8": ("fixed", 0, 0.5),
        "ks4_basics_95": ("england", None, 5),
        "abs_overall": ("england", None, 1),
        "abs_persistent": ("england", None, 3),
    }
    assert all(r.core for r in rules.values())
    assert rules["abs_overall"].by_phase and rules["abs_persistent"].by_phase


def test_a_rule_set_survives_a_round_trip_through_data():
    rule_set = default_rule_set(2018, CATALOGUE)
    assert RuleSet.from_dict(2018, rule_set.to_dict(), CATALOGUE) == rule_set


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("rules"),
        lambda d: d.pop("thresholds"),
        lambda d: d["thresholds"].pop("p2_amber"),
        lambda d: d.pop("ofsted"),
        lambda d: d.pop("trend_years"),
        lambda d: d["rules"][0].pop("amber_width"),
        lambda d: d["rules"][0].pop("comparator"),
        lambda d: d["rules"][1].update(fixed_value=None),
        lambda d: d["rules"][0].update(comparator="neighbours"),
        lambda d: d["rules"][0].update(comparator="region"),
        lambda d: d["rules"][0].update(amber_width=-1),
        lambda d: d["rules"][0].update(phases=[]),
        lambda d: d["rules"][0].update(phases=["nursery"]),
        lambda d: d.update(rules=[]),
        lambda d: d["rules"].append(dict(d["rules"][0])),
        lambda d: [r.update(core=False) for r in d["rules"]],
        lambda d: d["thresholds"].update(p1_red=0),
        lambda d: d["rules"][0].update(measure="pupils"),
    ],
    ids=lambda f: "",
)
def test_it_raises_on_an_incomplete_rule_set(breakage):
    data = default_rule_set(2018, CATALOGUE).to_dict()
    breakage(data)
    with pytest.raises(IncompleteRuleSet):
        RuleSet.from_dict(2018, data, CATALOGUE)


def test_it_raises_on_an_unknown_measure_in_stored_rules():
    data = default_rule_set(2018, CATALOGUE).to_dict()
    data["rules"][0]["measure"] = "ks9_nonsense"
    with pytest.raises(UnknownMeasure):
        RuleSet.from_dict(2018, data, CATALOGUE)


def test_the_rating_year_is_the_latest_year_with_any_core_value():
    assert ratings.rating_year([2016, 2018, 2017]) == 2018
    assert ratings.rating_year([]) is None


def test_the_engine_imports_nothing_from_django():
    engine = Path(ratings.__file__).parent
    for path in (engine / "ratings.py", *engine.glob("rating_*.py"), engine / "report_cards.py"):
        tree = ast.parse(path.read_text())
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
        }
        assert not any(m and m.split(".")[0] == "django" for m in modules), path.name


def test_it_rates_every_school_at_national_scale():
    # Speed is measured by `make bench`, not here; this checks every school gets its result.
    rule_set = default_rule_set(2018, CATALOGUE)
    comps = comparators(2018)
    for y in (2016, 2017):
        for code, value in ENGLAND.items():
            comps.add("england", "", code, y, "", value)
    schools, figures = [], {}
    for i in range(22000):
        facts = SchoolFacts(
            key=i,
            phases=frozenset({"primary"} if i % 5 else {"secondary"}),
            absence_phase="PRI" if i % 5 else "SEC",
            ofsted_outcome="Good",
        )
        schools.append(facts)
        figures[i] = {
            (code, y): Figure(50.0 + (i % 30), cohort=30)
            for code in ratings.DEFAULT_CORE_CODES
            for y in (2016, 2017, 2018)
        }
    results = ratings.rate_all(rule_set, schools, figures, 2018, comps, RATING_DATE)
    assert len(results) == 22000
    assert [r.key for r in results] == list(range(22000))
