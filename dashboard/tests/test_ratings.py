"""The rating engine alone (no database): every band edge, polarity, marker, cohort, phase and comparator rule."""

from dataclasses import replace

import pytest

from dashboard import ratings
from dashboard.ratings import (
    Band,
    ComparatorKind,
    Comparators,
    Figure,
    MeasureRule,
    Priority,
    RuleSet,
    UnknownMeasure,
    default_rule_set,
    rate_school,
)

from .catalogue import CATALOGUE
from .rating_helpers import (
    RATING_DATE,
    YEAR,
    band_of,
    band_under,
    comparators,
    rate,
    school,
)

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
    rule = default_rule_set(YEAR, CATALOGUE).rules["ks2_rwm_exp"]
    assert band_under(value, comparator, rule) is band


def test_it_bands_by_polarity():
    higher = MeasureRule("ks2_rwm_exp", ComparatorKind.FIXED, fixed_value=50, amber_width=5)
    lower = MeasureRule("abs_overall", ComparatorKind.FIXED, fixed_value=50, amber_width=5)
    assert band_under(56, 50, higher) is Band.GREEN
    assert band_under(56, 50, lower) is Band.RED
    assert band_under(44, 50, higher) is Band.RED
    assert band_under(44, 50, lower) is Band.GREEN
    assert band_under(54, 50, lower) is Band.AMBER
    assert band_under(46, 50, higher) is Band.AMBER


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
    assert CATALOGUE.polarity(code) == expected


def test_it_raises_on_an_unknown_measure():
    with pytest.raises(UnknownMeasure):
        CATALOGUE.polarity("ks2_made_up")
    with pytest.raises(UnknownMeasure):
        RuleSet(
            year=YEAR,
            rules={"ks2_made_up": MeasureRule("ks2_made_up", ComparatorKind.FIXED, fixed_value=0, amber_width=1)},
            catalogue=CATALOGUE,
        )


def test_it_green_margin_moves_the_green_edge():
    rule = MeasureRule("ks2_rwm_exp", ComparatorKind.ENGLAND, amber_width=5, green_margin=2)
    assert band_under(67, 65, rule) is Band.GREEN
    assert band_under(66.9, 65, rule) is Band.AMBER


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
    result = rate_school(default_rule_set(YEAR, CATALOGUE), school(), figs, YEAR, comparators(), RATING_DATE)
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
    rule_set = ratings.with_min_cohorts(default_rule_set(YEAR, CATALOGUE), {"ks2_rwm_exp": 20})
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
    base = default_rule_set(YEAR, CATALOGUE)
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
