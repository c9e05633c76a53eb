"""Each measure on its own kind's latest year, stale kinds not rated, and report cards banded by their own row.

Pure engine tests: no database (dashboard/ratings.py is Django-free).
"""

import datetime as dt
import subprocess
import sys

import pytest

from dashboard import ratings
from dashboard.ratings import (
    Band,
    Comparators,
    Figure,
    Priority,
    RatingYears,
    ReportCardFacts,
    ReportCardRule,
    SchoolFacts,
    default_rule_set,
    rate_school,
    rating_years,
)

from .catalogue import CATALOGUE

RATING_DATE = dt.date(2026, 11, 1)
AREAS = ("Inclusion", "Curriculum and teaching", "Achievement", "Attendance and behaviour",
         "Personal development and wellbeing", "Leadership and governance")


def comps():
    c = Comparators()
    c.add("england", "", "ks2_rwm_exp", 2023, "", 61.0)
    c.add("england", "", "ks2_rwm_exp", 2022, "", 59.0)
    c.add("england", "", "ks2_rwm_exp", 2021, "", 59.0)
    c.add("england", "", "ks4_att8", 2024, "", 45.9)
    c.add("england", "", "ks4_att8", 2023, "", 46.1)
    c.add("england", "", "ks4_basics_95", 2024, "", 45.9)
    for phase, value in (("PRI", 5.5), ("SEC", 9.0)):
        c.add("england", "", "abs_overall", 2022, phase, value)
        c.add("england", "", "abs_overall", 2021, phase, value + 1)
    c.add("england", "", "abs_persistent", 2022, "PRI", 16.0)
    return c


def all_through(**kw):
    return SchoolFacts(key=1, phases=frozenset({"primary", "secondary"}), absence_phase="SEC", la_code="919", **kw)


def by_code(result):
    return {m.measure: m for m in result.measures}


def test_each_measure_is_rated_on_its_own_kinds_latest_year():
    # KS4 2024/25 is a year ahead of KS2 2023/24; absence 2022/23 a year behind it.
    years = rating_years({"ks2": 2023, "ks4": 2024, "absence": 2022})
    assert years.newest == 2024
    figures = {
        ("ks2_rwm_exp", 2023): Figure(55.0, "", 30),   # red against 61 (2023/24)
        ("ks2_rwm_exp", 2022): Figure(70.0, "", 30),
        ("ks4_att8", 2024): Figure(47.0, "", 120),     # green against 45.9 (2024/25)
        ("ks4_att8", 2023): Figure(30.0, "", 120),     # last year's would be red: not used
        ("abs_overall", 2022): Figure(9.5, "", None),  # amber against 9.0 SEC (2022/23)
    }
    result = rate_school(default_rule_set(2024, CATALOGUE), all_through(), figures, years, comps(), RATING_DATE)
    m = by_code(result)
    assert (m["ks2_rwm_exp"].year, m["ks2_rwm_exp"].band, m["ks2_rwm_exp"].comparator) == (2023, Band.RED, 61.0)
    assert (m["ks4_att8"].year, m["ks4_att8"].band, m["ks4_att8"].value) == (2024, Band.GREEN, 47.0)
    assert (m["abs_overall"].year, m["abs_overall"].band) == (2022, Band.AMBER)
    assert result.year == 2024  # the run is labelled with the newest year
    # KS4 for a new year never leaves the primary measures unrated.
    assert m["ks2_rwm_exp"].rated
    # Every value in the reasons shows its own year.
    assert "KS2 RWM 55% vs 61% national (2023/24)" in result.reasons
    assert "overall absence 9.5% vs 9% national (2022/23)" in result.reasons
    assert result.priority is Priority.P2


def test_a_kind_more_than_two_years_older_than_the_newest_is_stale_and_not_rated():
    years = rating_years({"ks2": 2019, "ks4": 2024, "absence": 2022})
    figures = {("ks2_rwm_exp", 2019): Figure(20.0, "", 30), ("ks4_att8", 2024): Figure(47.0, "", 120)}
    result = rate_school(default_rule_set(2024, CATALOGUE), all_through(), figures, years, comps(), RATING_DATE)
    m = by_code(result)
    assert m["ks2_rwm_exp"].band is Band.NOT_RATED
    assert m["ks2_rwm_exp"].rule == "no figures since 2019/20"
    # Two years older is not stale.
    assert years.for_kind("absence") == (2022, "")
    assert rating_years({"ks2": 2022, "ks4": 2024}).for_kind("ks2") == (2022, "")
    assert rating_years({"ks2": 2021, "ks4": 2024}).for_kind("ks2") == (None, "no figures since 2021/22")


def test_the_trend_uses_each_measures_own_last_three_years():
    years = rating_years({"ks2": 2023, "ks4": 2024})
    figures = {("ks2_rwm_exp", y): Figure(50.0, "", 30) for y in (2021, 2022, 2023)}
    figures[("ks4_att8", 2024)] = Figure(50.0, "", 120)
    result = rate_school(default_rule_set(2024, CATALOGUE), all_through(), figures, years, comps(), RATING_DATE)
    assert by_code(result)["ks2_rwm_exp"].trend is True
    # A figure after the measure's own year never counts (none here); one year of KS4 is no trend.
    assert by_code(result)["ks4_att8"].trend is False


def card(grades, safeguarding="Met", concern="", inspected=dt.date(2026, 1, 13)):
    return ReportCardFacts(inspected=inspected, grades=(("Safeguarding standards", safeguarding),
                                                        *zip(AREAS, grades, strict=True)), category_of_concern=concern)


@pytest.mark.parametrize(
    "grades,safeguarding,concern,band",
    [
        (["Expected standard"] * 6, "Met", "", Band.GREEN),
        (["Exceptional"] * 6, "Met", "", Band.GREEN),
        (["Strong standard"] * 5 + ["Expected standard"], "Met", "", Band.GREEN),
        (["Expected standard"] * 5 + ["Needs attention"], "Met", "", Band.AMBER),
        (["Needs attention"] * 6, "Met", "", Band.AMBER),
        (["Expected standard"] * 5 + ["Urgent improvement"], "Met", "", Band.RED),
        (["Needs attention"] * 5 + ["Urgent improvement"], "Met", "", Band.RED),
        (["Strong standard"] * 6, "Not met", "", Band.RED),  # safeguarding alone is enough
        (["Exceptional"] * 6, "Met", "Special measures", Band.RED),
        (["Expected standard"] * 6, "Met", "NULL", Band.GREEN),
    ],
)
def test_report_card_band_edges(grades, safeguarding, concern, band):
    result = rate_school(default_rule_set(2025, CATALOGUE), all_through(report_card=card(grades, safeguarding, concern)), {},
                         RatingYears.same(2025), comps(), RATING_DATE)
    assert result.ofsted_band is band
    assert result.ofsted_outcome == "Report card"
    # It counts in the priority as the 1-4 outcome does: red P1, amber P2.
    assert result.priority is {Band.RED: Priority.P1, Band.AMBER: Priority.P2, Band.GREEN: Priority.P3}[band]


def test_report_card_reasons_name_the_areas_that_fired_with_the_year():
    facts = all_through(report_card=card(["Expected standard", "Needs attention", "Needs attention",
                                          "Expected standard", "Strong standard", "Expected standard"]))
    result = rate_school(default_rule_set(2025, CATALOGUE), facts, {}, RatingYears.same(2025), comps(), RATING_DATE)
    assert result.reasons.startswith(
        "P2: Ofsted report card (2025/26): Curriculum and teaching Needs attention, Achievement Needs attention")
    red = rate_school(default_rule_set(2025, CATALOGUE), all_through(report_card=card(["Strong standard"] * 6, "Not met")),
                      {}, RatingYears.same(2025), comps(), RATING_DATE)
    assert "Ofsted report card (2025/26): safeguarding Not met" in red.reasons


def test_the_latest_of_the_two_scales_is_rated_and_never_converted():
    newer_card = all_through(ofsted_outcome="Inadequate", ofsted_date=dt.date(2022, 5, 1),
                             report_card=card(["Expected standard"] * 6))
    result = rate_school(default_rule_set(2025, CATALOGUE), newer_card, {}, RatingYears.same(2025), comps(), RATING_DATE)
    assert (result.ofsted_band, result.ofsted_date) == (Band.GREEN, dt.date(2026, 1, 13))
    older_card = all_through(ofsted_outcome="Inadequate", ofsted_date=dt.date(2026, 3, 1),
                             report_card=card(["Expected standard"] * 6))
    result = rate_school(default_rule_set(2025, CATALOGUE), older_card, {}, RatingYears.same(2025), comps(), RATING_DATE)
    assert result.ofsted_band is Band.RED and result.reasons.startswith("P1: Ofsted inadequate, inspected 2025/26")


def test_a_rule_set_without_the_report_card_row_shows_it_without_banding_it():
    rules = default_rule_set(2025, CATALOGUE).to_dict()
    rules.pop("report_card")
    rule_set = ratings.RuleSet.from_dict(2025, rules, CATALOGUE)
    result = rate_school(rule_set, all_through(report_card=card(["Urgent improvement"] * 6)), {},
                         RatingYears.same(2025), comps(), RATING_DATE)
    assert result.ofsted_band is Band.NOT_RATED and result.priority is Priority.NOT_RATED
    assert "shown, not banded: the rule set has no report-card row" in result.reasons


def test_the_report_card_rule_round_trips_and_refuses_unknown_grades():
    rule_set = default_rule_set(2025, CATALOGUE)
    assert ratings.RuleSet.from_dict(2025, rule_set.to_dict(), CATALOGUE).report_card == ReportCardRule()
    bad = rule_set.to_dict()
    bad["report_card"]["amber_grades"] = ["requires improvement"]
    with pytest.raises(ratings.IncompleteRuleSet, match="not a grade"):
        ratings.RuleSet.from_dict(2025, bad, CATALOGUE)
    assert "red if any area Urgent improvement, safeguarding Not met, or a category of concern" in (
        ReportCardRule().describe())


def test_persistent_absence_at_15_percent_is_its_own_measure():
    assert CATALOGUE.info("abs_persistent_15").label != CATALOGUE.info("abs_persistent").label
    assert "abs_persistent_15" not in default_rule_set(2014, CATALOGUE).rules


def test_the_engine_modules_import_without_django():
    code = ("import sys; import dashboard.ratings, dashboard.rating_basics, dashboard.rating_rules, "
            "dashboard.rating_comparators, dashboard.rating_bands, dashboard.rating_years, dashboard.report_cards; "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
