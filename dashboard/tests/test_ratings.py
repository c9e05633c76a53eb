"""The rating engine alone (no database): every band edge, polarity, marker, cohort, phase and priority rule."""

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

YEAR = 2018
RATING_DATE = dt.date(2019, 11, 1)
# England figures for 2018/19 as the DfE published them (KS2 RWM 65%, Attainment 8 44.5...).
ENGLAND = {"ks2_rwm_exp": 65.0, "ks4_att8": 44.5, "ks4_basics_95": 43.2}
ABSENCE = {
    ("abs_overall", "PRI"): 4.0,
    ("abs_overall", "SEC"): 5.5,
    ("abs_overall", "SPE"): 10.1,
    ("abs_persistent", "PRI"): 8.2,
    ("abs_persistent", "SEC"): 13.7,
    ("abs_persistent", "SPE"): 29.4,
}


def comparators(year=YEAR, england=ENGLAND, absence=ABSENCE):
    c = Comparators()
    for code, value in england.items():
        c.add("england", "", code, year, "", value)
    for (code, phase), value in absence.items():
        c.add("england", "", code, year, phase, value)
    return c


def school(phases=("primary",), absence_phase="PRI", ofsted="", ofsted_date=None, la="899", **kw):
    return SchoolFacts(
        key=1,
        phases=frozenset(phases),
        absence_phase=absence_phase,
        la_code=la,
        ofsted_outcome=ofsted,
        ofsted_date=ofsted_date,
        **kw,
    )


def rate(figures, facts=None, rule_set=None, comps=None, year=YEAR):
    facts = facts or school()
    rule_set = rule_set or default_rule_set(year)
    figs = {(code, year): f if isinstance(f, Figure) else Figure(value=f, cohort=30) for code, f in figures.items()}
    return rate_school(rule_set, facts, figs, year, comps or comparators(year), RATING_DATE)


def band_of(result, code):
    return next(m for m in result.measures if m.measure == code).band


# ---- band edges, every default rule ----------------------------------------------------------

G, A, R = Band.GREEN, Band.AMBER, Band.RED

EDGES = [
    # measure, phase facts, E, value, band
    *[
        ("ks2_rwm_exp", "primary", 65.0, v, b)
        for v, b in [(66, G), (65, G), (64.9, A), (64, A), (60, A), (59.9, R), (59, R), (0, R), (100, G)]
    ],
    *[
        (code, "primary", 0.0, v, b)
        for code in ("ks2_read_prog", "ks2_writ_prog", "ks2_mat_prog")
        for v, b in [(0.1, G), (0, G), (-0.1, A), (-1.9, A), (-2, A), (-2.1, R), (-5, R), (3.4, G)]
    ],
    *[
        ("ks4_att8", "secondary", 44.5, v, b)
        for v, b in [(44.6, G), (44.5, G), (44.4, A), (41.5, A), (41.4, R), (30, R)]
    ],
    *[
        ("ks4_p8", "secondary", 0.0, v, b)
        for v, b in [(0.01, G), (0, G), (-0.01, A), (-0.49, A), (-0.5, A), (-0.51, R), (-1.2, R)]
    ],
    *[("ks4_basics_95", "secondary", 43.2, v, b) for v, b in [(43.3, G), (43.2, G), (43.1, A), (38.2, A), (38.1, R)]],
    # Lower is better for absence: green at or below E, amber up to E + 1 (E + 3 persistent).
    *[
        ("abs_overall", "primary", 4.0, v, b)
        for v, b in [(3.9, G), (4.0, G), (4.1, A), (5.0, A), (5.1, R), (9, R), (0, G)]
    ],
    *[("abs_persistent", "primary", 8.2, v, b) for v, b in [(8.1, G), (8.2, G), (8.3, A), (11.2, A), (11.3, R)]],
    *[("abs_overall", "secondary", 5.5, v, b) for v, b in [(5.5, G), (6.5, A), (6.6, R)]],
    *[("abs_persistent", "secondary", 13.7, v, b) for v, b in [(13.7, G), (16.7, A), (16.8, R)]],
    *[("abs_overall", "special", 10.1, v, b) for v, b in [(10.1, G), (11.1, A), (11.2, R)]],
    *[("abs_persistent", "special", 29.4, v, b) for v, b in [(29.4, G), (32.4, A), (32.5, R)]],
]

PHASE_FACTS = {"primary": (("primary",), "PRI"), "secondary": (("secondary",), "SEC"), "special": (("special",), "SPE")}


@pytest.mark.parametrize("code,phase,england,value,band", EDGES, ids=[f"{e[0]}-{e[1]}-{e[3]}" for e in EDGES])
def test_it_bands_every_edge_of_the_default_rule_set(code, phase, england, value, band):
    phases, absence_phase = PHASE_FACTS[phase]
    result = rate({code: value}, school(phases, absence_phase))
    measure = next(m for m in result.measures if m.measure == code)
    assert measure.band is band
    assert measure.comparator == england
    assert measure.rule  # the rule that fired is always recorded


def test_it_uses_the_england_figure_for_the_schools_own_absence_phase():
    for phases, absence_phase, expected in (
        (("primary",), "PRI", 4.0),
        (("secondary",), "SEC", 5.5),
        (("special",), "SPE", 10.1),
    ):
        result = rate({"abs_overall": 5.0}, school(phases, absence_phase))
        measure = next(m for m in result.measures if m.measure == "abs_overall")
        assert measure.comparator == expected


@pytest.mark.parametrize(
    "value,comparator,band",
    [(60.0, 65.0, Band.AMBER), (59.99, 65.0, Band.RED), (64.99, 65.0, Band.AMBER), (65.0, 65.0, Band.GREEN)],
)
def test_it_is_exact_at_the_edges_despite_floating_point(value, comparator, band):
    rule = default_rule_set(YEAR).rules["ks2_rwm_exp"]
    assert ratings.band_for(value, comparator, rule) is band


def test_it_bands_by_polarity():
    higher = MeasureRule("ks2_rwm_exp", ComparatorKind.FIXED, fixed_value=50, amber_width=5)
    lower = MeasureRule("abs_overall", ComparatorKind.FIXED, fixed_value=50, amber_width=5)
    assert ratings.band_for(56, 50, higher) is Band.GREEN
    assert ratings.band_for(56, 50, lower) is Band.RED
    assert ratings.band_for(44, 50, higher) is Band.RED
    assert ratings.band_for(44, 50, lower) is Band.GREEN
    assert ratings.band_for(54, 50, lower) is Band.AMBER
    assert ratings.band_for(46, 50, higher) is Band.AMBER


@pytest.mark.parametrize(
    "code,expected",
    [
        ("ks2_rwm_exp", "higher"),
        ("ks4_p8", "higher"),
        ("ks4_att8", "higher"),
        ("abs_overall", "lower"),
        ("abs_persistent", "lower"),
        ("suspension_rate", "lower"),
        ("pupils", "none"),
    ],
)
def test_it_knows_the_polarity_of_every_agreed_measure(code, expected):
    assert ratings.polarity(code) == expected


def test_it_raises_on_an_unknown_measure():
    with pytest.raises(UnknownMeasure):
        ratings.polarity("ks2_made_up")
    with pytest.raises(UnknownMeasure):
        RuleSet(
            year=YEAR,
            rules={"ks2_made_up": MeasureRule("ks2_made_up", ComparatorKind.FIXED, fixed_value=0, amber_width=1)},
        )


def test_it_green_margin_moves_the_green_edge():
    rule = MeasureRule("ks2_rwm_exp", ComparatorKind.ENGLAND, amber_width=5, green_margin=2)
    assert ratings.band_for(67, 65, rule) is Band.GREEN
    assert ratings.band_for(66.9, 65, rule) is Band.AMBER


# ---- not rated ---------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", sorted(ratings.MARKERS))
def test_it_never_rates_a_marker_and_never_red(marker):
    result = rate(
        {
            "ks2_rwm_exp": Figure(value=None, marker=marker, cohort=30),
            "ks2_read_prog": Figure(value=-9.0, marker=marker, cohort=30),
        }
    )
    for code in ("ks2_rwm_exp", "ks2_read_prog"):
        measure = next(m for m in result.measures if m.measure == code)
        assert measure.band is Band.NOT_RATED
        assert measure.value is None
        assert marker in measure.rule
    assert result.priority is not Priority.P1


def test_it_does_not_rate_a_missing_value_and_never_carries_one_forward():
    figs = {("ks2_read_prog", YEAR - 1): Figure(-5.0, cohort=30)}
    result = rate_school(default_rule_set(YEAR), school(), figs, YEAR, comparators(), RATING_DATE)
    measure = next(m for m in result.measures if m.measure == "ks2_read_prog")
    assert measure.band is Band.NOT_RATED
    assert measure.rule == "no value for the year"


@pytest.mark.parametrize(
    "cohort,band",
    [(None, Band.RED), (0, Band.NOT_RATED), (10, Band.NOT_RATED), (11, Band.RED), (12, Band.RED), (200, Band.RED)],
)
def test_it_rates_only_cohorts_of_11_or_more(cohort, band):
    result = rate({"ks2_rwm_exp": Figure(40.0, cohort=cohort)})
    assert band_of(result, "ks2_rwm_exp") is band
    if band is Band.NOT_RATED:
        assert f"cohort of {cohort} pupils is under 11" in result.measures[0].rule


def test_it_uses_the_measures_own_minimum_cohort():
    rule_set = ratings.with_min_cohorts(default_rule_set(YEAR), {"ks2_rwm_exp": 20})
    assert band_of(rate({"ks2_rwm_exp": Figure(40.0, cohort=19)}, rule_set=rule_set), "ks2_rwm_exp") is Band.NOT_RATED
    assert band_of(rate({"ks2_rwm_exp": Figure(40.0, cohort=20)}, rule_set=rule_set), "ks2_rwm_exp") is Band.RED


def test_it_does_not_rate_a_measure_for_another_phase():
    primary = rate({"ks4_att8": 20.0, "ks4_p8": -2.0, "ks4_basics_95": 5.0})
    for code in ("ks4_att8", "ks4_p8", "ks4_basics_95"):
        measure = next(m for m in primary.measures if m.measure == code)
        assert measure.band is Band.NOT_RATED
        assert measure.rule == "not a measure for this school's phase"
    assert primary.priority is Priority.NOT_RATED
    secondary = rate({"ks2_rwm_exp": 10.0}, school(("secondary",), "SEC"))
    assert band_of(secondary, "ks2_rwm_exp") is Band.NOT_RATED


def test_it_rates_an_all_through_school_on_both_phases():
    result = rate({"ks2_rwm_exp": 50.0, "ks4_att8": 30.0}, school(("primary", "secondary"), "SEC"))
    assert band_of(result, "ks2_rwm_exp") is Band.RED
    assert band_of(result, "ks4_att8") is Band.RED


def test_it_rates_special_schools_only_on_absence_and_ofsted():
    figures = {
        "ks2_rwm_exp": 0.0,
        "ks2_read_prog": -8.0,
        "ks4_att8": 5.0,
        "ks4_p8": -2.0,
        "abs_overall": 10.1,
        "abs_persistent": 40.0,
    }
    result = rate(figures, school(("special",), "SPE", ofsted="Good"))
    bands = {m.measure: m.band for m in result.measures}
    assert bands["abs_overall"] is Band.GREEN  # against the SPE row (10.1), not PRI or SEC
    assert bands["abs_persistent"] is Band.RED
    for code in ("ks2_rwm_exp", "ks2_read_prog", "ks4_att8", "ks4_p8"):
        assert bands[code] is Band.NOT_RATED
    assert result.priority is Priority.P2  # one red core measure (persistent absence)


@pytest.mark.parametrize(
    "phase_name,type_name,special,phases,absence",
    [
        ("Primary", "Community school", False, {"primary"}, "PRI"),
        ("Middle deemed primary", "Foundation school", False, {"primary"}, "PRI"),
        ("Secondary", "Academy converter", False, {"secondary"}, "SEC"),
        ("Middle deemed secondary", "Academy sponsor led", False, {"secondary"}, "SEC"),
        ("All-through", "Free schools", False, {"primary", "secondary"}, "SEC"),
        ("16 plus", "Academy 16-19 converter", False, {"secondary"}, "SEC"),
        ("Not applicable", "Community special school", False, {"special"}, "SPE"),
        ("Primary", "Academy special converter", False, {"special"}, "SPE"),
        ("special", "", False, {"special"}, "SPE"),
        ("Secondary", "Academy converter", True, {"special"}, "SPE"),  # RECTYPE 2
        ("Nursery", "LA nursery school", False, set(), ""),
    ],
)
def test_it_classifies_schools_for_phase_and_absence_comparator(phase_name, type_name, special, phases, absence):
    assert ratings.classify_school(phase_name, type_name, special_flag=special) == (frozenset(phases), absence)


def test_it_does_not_rate_without_a_comparator():
    result = rate({"ks2_rwm_exp": 40.0}, comps=Comparators())
    measure = result.measures[0]
    assert measure.band is Band.NOT_RATED
    assert "no national figure" in measure.rule


# ---- comparators -------------------------------------------------------------------------------


def test_it_compares_against_the_la_or_statistical_neighbours_when_the_rules_say():
    comps = comparators()
    comps.add("la", "", "ks2_rwm_exp", YEAR, "", 0)
    comps.add("la", "899", "ks2_rwm_exp", YEAR, "", 70.0)
    comps.add("la", "851", "ks2_rwm_exp", YEAR, "", 60.0)
    comps.add("la", "852", "ks2_rwm_exp", YEAR, "", 62.0)
    base = default_rule_set(YEAR)
    la_rules = replace(
        base, rules={**base.rules, "ks2_rwm_exp": replace(base.rules["ks2_rwm_exp"], comparator=ComparatorKind.LA)}
    )
    measure = rate({"ks2_rwm_exp": 66.0}, rule_set=la_rules, comps=comps).measures[0]
    assert (measure.comparator, measure.band, measure.comparator_name) == (70.0, Band.AMBER, "LA")

    neighbour_rules = replace(
        la_rules,
        neighbours=("851", "852"),
        rules={**base.rules, "ks2_rwm_exp": replace(base.rules["ks2_rwm_exp"], comparator=ComparatorKind.NEIGHBOURS)},
    )
    measure = rate({"ks2_rwm_exp": 60.0}, rule_set=neighbour_rules, comps=comps).measures[0]
    assert (measure.comparator, measure.band) == (61.0, Band.AMBER)

    # A neighbour whose file was not imported: "no data", and England is used.
    missing = replace(neighbour_rules, neighbours=("851", "999"))
    measure = rate({"ks2_rwm_exp": 60.0}, rule_set=missing, comps=comps).measures[0]
    assert (measure.comparator, measure.comparator_name) == (65.0, "national")
    assert "England used" in measure.rule


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
    base = default_rule_set(YEAR)
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
    rule_set = replace(default_rule_set(YEAR), thresholds=ratings.PriorityThresholds(p1_red=2, p2_red=2, p2_amber=1))
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
        default_rule_set(2018), school(), trend_figures(values), 2018, trend_comps(values), RATING_DATE
    )
    measure = result.measures[0]
    assert measure.trend is flag
    assert any(f.startswith("trend: KS2 RWM") for f in result.flags) is flag


def test_the_trend_flag_does_not_change_the_priority():
    result = rate_school(
        default_rule_set(2018),
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
    result = rate_school(default_rule_set(2018), school(), figs, 2018, c, RATING_DATE)
    assert band_of(result, "abs_overall") is Band.AMBER
    assert next(m for m in result.measures if m.measure == "abs_overall").trend


# ---- rule sets as data ---------------------------------------------------------------------------


def test_the_default_rule_set_is_the_product_table():
    rules = default_rule_set(2018).rules
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
    rule_set = default_rule_set(2018)
    assert RuleSet.from_dict(2018, rule_set.to_dict()) == rule_set


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
    data = default_rule_set(2018).to_dict()
    breakage(data)
    with pytest.raises(IncompleteRuleSet):
        RuleSet.from_dict(2018, data)


def test_it_raises_on_an_unknown_measure_in_stored_rules():
    data = default_rule_set(2018).to_dict()
    data["rules"][0]["measure"] = "ks9_nonsense"
    with pytest.raises(UnknownMeasure):
        RuleSet.from_dict(2018, data)


def test_the_rating_year_is_the_latest_year_with_any_core_value():
    assert ratings.rating_year([2016, 2018, 2017]) == 2018
    assert ratings.rating_year([]) is None


def test_the_engine_imports_nothing_from_django():
    tree = ast.parse(Path(ratings.__file__).read_text())
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not any(m and m.split(".")[0] == "django" for m in modules)


def test_it_rates_every_school_at_national_scale():
    # Speed is measured by `make bench`, not here; this checks every school gets its result.
    rule_set = default_rule_set(2018)
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
