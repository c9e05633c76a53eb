"""What the engine's unit tests share: the 2018/19 England figures, a school, and rating one school."""

import datetime as dt

from dashboard import ratings
from dashboard.ratings import Comparators, Figure, SchoolFacts, default_rule_set, rate_school

from .catalogue import CATALOGUE

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
    rule_set = rule_set or default_rule_set(year, CATALOGUE)
    figs = {(code, year): f if isinstance(f, Figure) else Figure(value=f, cohort=30) for code, f in figures.items()}
    return rate_school(rule_set, facts, figs, year, comps or comparators(year), RATING_DATE)


def band_under(value, comparator, rule):
    """The band under a rule, on its measure's polarity in the catalogue."""
    return ratings.band_for(value, comparator, rule, CATALOGUE.polarity(rule.measure))


def band_of(result, code):
    return next(m for m in result.measures if m.measure == code).band
