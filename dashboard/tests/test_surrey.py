"""A rating run on real data: the Surrey register (2021) and Surrey KS2 and KS4 results for 2016/17 to 2018/19,
imported through the portal's own importers. A handful of schools are checked by hand: the figures are
read straight from the DfE files here (csv module), and each band is worked out from the default rule
set's bands written out in this test, not by the engine."""

import csv

import pytest

from dashboard.models import MeasureRating, RatingRun, SchoolRating
from dashboard.runs import run_ratings
from schools.models import ImportRecord, School, Value
from schools.tests.perf_support import PERFORMANCE, import_path, load_surrey_register

pytestmark = pytest.mark.django_db

SURREY_FILES = sorted(PERFORMANCE.glob("dfe_ptables_201*-*_936_surrey_ks*final.csv"))
KS2 = PERFORMANCE / "dfe_ptables_2018-19_936_surrey_ks2final.csv"
KS4 = PERFORMANCE / "dfe_ptables_2018-19_936_surrey_ks4final.csv"


@pytest.fixture
def surrey(settings):
    settings.PARTNERSHIP_LA_CODES = ["936"]
    load_surrey_register()
    assert len(SURREY_FILES) == 6
    for path in SURREY_FILES:
        record = import_path(path)
        assert record.status == ImportRecord.Status.DONE, record.message
    return run_ratings()


def file_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def row(path, urn):
    return next(r for r in file_rows(path) if r["URN"].strip() == str(urn))


def england(path, rectype, column):
    """The national state-funded row: RECTYPE 5 in KS2 2018/19, RECTYPE 7 in KS4 2018/19 (the metadata says so)."""
    return number(next(r for r in file_rows(path) if r["RECTYPE"] == rectype)[column])


def number(text):
    return float(text.strip().rstrip("%"))


def higher_band(v, e, width):
    """The default rule set's bands: green v >= E, amber E - w <= v < E, red v < E - w."""
    return "green" if v >= e else "amber" if v >= e - width else "red"


def measure(urn, code, run):
    return MeasureRating.objects.get(school_rating__run=run, school_rating__school__urn=urn, measure_code=code)


def rating(urn, run):
    return SchoolRating.objects.get(run=run, school__urn=urn)


def test_a_run_rates_every_school_in_surrey(surrey):
    run = surrey
    assert run.status == RatingRun.Status.DONE and run.year == 2018
    scope = School.objects.rated_scope()
    assert SchoolRating.objects.filter(run=run).count() == scope.count() == run.schools_considered
    # Every school in scope with a published figure for 2018/19 has a priority.
    with_figures = set(
        Value.objects.filter(year=2018, value__isnull=False, school__in=scope).values_list("school_id", flat=True)
    )
    assert len(with_figures) > 250
    unrated = SchoolRating.objects.filter(run=run, school_id__in=with_figures, priority="")
    # ...except special schools, whose KS2/KS4 figures are never rated, when they have no Ofsted outcome.
    assert all(r.school.governance.startswith("special") for r in unrated.select_related("school"))
    counts = {p: SchoolRating.objects.filter(run=run, priority=p).count() for p in ("1", "2", "3", "")}
    assert counts["1"] and counts["2"] and counts["3"]
    # Schools outside the scope (independent, closed, other LAs) are not rated.
    assert not SchoolRating.objects.filter(run=run).exclude(school__in=scope).exists()


def test_holland_junior_school_by_hand(surrey):
    run, urn = surrey, 125069
    r = row(KS2, urn)
    e = england(KS2, "5", "PTRWM_EXP")
    assert (number(r["PTRWM_EXP"]), e, int(r["TELIG"])) == (59.0, 65.0, 59)
    rwm = measure(urn, "ks2_rwm_exp", run)
    assert (rwm.value, rwm.comparator, rwm.cohort) == (59.0, 65.0, 59)
    assert rwm.band == higher_band(59.0, 65.0, 5) == "red"  # 59 < 65 - 5
    for code, column in (("ks2_read_prog", "READPROG"), ("ks2_writ_prog", "WRITPROG"), ("ks2_mat_prog", "MATPROG")):
        m = measure(urn, code, run)
        assert (m.value, m.comparator) == (number(r[column]), 0.0)
        assert m.band == higher_band(number(r[column]), 0.0, 2)
    assert [measure(urn, c, run).band for c in ("ks2_read_prog", "ks2_writ_prog", "ks2_mat_prog")] == [
        "amber", "red", "red"]  # -0.2, -3.7, -2.6
    assert rating(urn, run).priority == "1"  # three red core measures
    assert rating(urn, run).reasons == (
        "P1: 3 red core measures: KS2 RWM 59% vs 65% national (2018/19), KS2 writing progress -3.7 vs 0 (2018/19), "
        "KS2 maths progress -2.6 vs 0 (2018/19); 1 amber core measure: KS2 reading progress -0.2 vs 0 (2018/19)"
    )
    # Below national in each of the three years: 2016/17, 2017/18 and 2018/19.
    earlier = [number(row(PERFORMANCE / f"dfe_ptables_{y}_936_surrey_ks2final.csv", urn)["PTRWM_EXP"])
               for y in ("2016-17", "2017-18")]
    assert all(v < 65 for v in earlier) == rwm.trend is True


def test_manorcroft_primary_sits_on_the_amber_edge(surrey):
    run, urn = surrey, 124953
    r = row(KS2, urn)
    assert number(r["PTRWM_EXP"]) == 60.0  # exactly E - 5: amber, not red
    assert measure(urn, "ks2_rwm_exp", run).band == "amber"
    assert [number(r[c]) for c in ("READPROG", "WRITPROG", "MATPROG")] == [0.7, -0.1, -0.2]
    assert rating(urn, run).priority == "2"  # three amber core measures
    assert rating(urn, run).reasons == (
        "P2: 3 amber core measures: KS2 RWM 60% vs 65% national (2018/19), KS2 writing progress -0.1 vs 0 (2018/19), "
        "KS2 maths progress -0.2 vs 0 (2018/19)"
    )


def test_kingswood_primary_is_green_and_priority_3(surrey):
    run, urn = surrey, 124937
    r = row(KS2, urn)
    assert number(r["PTRWM_EXP"]) >= 65 and all(number(r[c]) >= 0 for c in ("READPROG", "WRITPROG", "MATPROG"))
    assert rating(urn, run).priority == "3"
    assert rating(urn, run).reasons == "P3: no red or amber core measures"


def test_the_warwick_school_by_hand(surrey):
    run, urn = surrey, 143903
    r = row(KS4, urn)
    att8_e, basics_e = england(KS4, "7", "ATT8SCR"), england(KS4, "7", "PTL2BASICS_95")
    assert (att8_e, basics_e) == (46.7, 43.0)  # state-funded row, not the all-schools 44.7 / 40
    att8, p8, basics = measure(urn, "ks4_att8", run), measure(urn, "ks4_p8", run), measure(urn, "ks4_basics_95", run)
    assert (att8.value, att8.comparator, att8.cohort) == (number(r["ATT8SCR"]), 46.7, int(r["TPUP"]))
    assert att8.band == higher_band(38.9, 46.7, 3) == "red"
    assert (p8.value, p8.band) == (-0.51, higher_band(-0.51, 0, 0.5)) == (-0.51, "red")  # just beyond -0.5
    assert (basics.value, basics.comparator, basics.band) == (28.0, 43.0, "red")
    school_rating = rating(urn, run)
    assert School.objects.get(urn=urn).ofsted_rating == "Requires improvement"
    assert school_rating.priority == "1"
    assert school_rating.reasons == (
        "P1: Ofsted requires improvement, inspected 2018/19; 3 red core measures: KS4 Attainment 8 38.9 vs 46.7 national (2018/19), "
        "KS4 Progress 8 -0.51 vs 0 (2018/19), KS4 grade 5+ English and maths 28% vs 43% national (2018/19)"
    )


def test_oakwood_school_by_hand(surrey):
    run, urn = surrey, 125273
    r = row(KS4, urn)
    assert (number(r["ATT8SCR"]), number(r["P8MEA"]), number(r["PTL2BASICS_95"])) == (46.2, -0.08, 37.0)
    assert measure(urn, "ks4_att8", run).band == "amber"  # 46.7 - 3 <= 46.2 < 46.7
    assert measure(urn, "ks4_p8", run).band == "amber"
    assert measure(urn, "ks4_basics_95", run).band == "red"  # 37 < 43 - 5
    assert rating(urn, run).priority == "2"
    assert rating(urn, run).reasons == (
        "P2: 1 red core measure: KS4 grade 5+ English and maths 37% vs 43% national (2018/19); 2 amber core measures: "
        "KS4 Attainment 8 46.2 vs 46.7 national (2018/19), KS4 Progress 8 -0.08 vs 0 (2018/19)"
    )


def test_a_special_school_is_not_rated_on_attainment(surrey):
    run, urn = surrey, 138766  # Wishmore Cross Academy: RECTYPE 2, KS2 SUPP (3 pupils), KS4 Attainment 8 5.9
    assert row(KS2, urn)["RECTYPE"] == "2" and row(KS4, urn)["ATT8SCR"] == "5.9"
    school_rating = rating(urn, run)
    assert "ks4_att8" not in school_rating.bands and "ks2_rwm_exp" not in school_rating.bands
    assert school_rating.priority == "2"  # from Ofsted alone
    assert school_rating.reasons == "P2: Ofsted requires improvement, inspected 2018/19"
