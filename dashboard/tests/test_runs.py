"""Rating runs against the database: what is rated, history, the one-step switch, rule sets as data."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from dashboard import runs
from dashboard.models import CurrentRun, MeasureRating, RatingRun, RuleSet, RuleSetLocked, SchoolRating
from dashboard.ratings import IncompleteRuleSet
from schools.models import Governance, Phase, School

from . import factories as f

pytestmark = pytest.mark.django_db


def rating(school, run=None):
    run = run or CurrentRun.get()
    return SchoolRating.objects.get(run=run, school=school)


def test_the_default_rule_set_is_live_after_migrating():
    rule_set = RuleSet.objects.live().get()
    assert rule_set.engine().rules["ks2_rwm_exp"].amber_width == 5
    assert RuleSet.objects.for_year(2018) == rule_set


def test_it_rates_every_school_and_makes_the_run_current():
    p1, p2, p3 = f.three_priorities()
    run = runs.run_ratings()
    assert run.status == RatingRun.Status.DONE and run.year == 2018
    assert CurrentRun.get() == run
    assert (rating(p1).priority, rating(p2).priority, rating(p3).priority) == ("1", "2", "3")
    assert rating(p1).reasons == (
        "P1: 3 red core measures: KS2 RWM 48% vs 65% national (2018/19), KS2 reading progress -2.5 vs 0 (2018/19), "
        "KS2 writing progress -3 vs 0 (2018/19)"
    )
    assert rating(p2).reasons == "P2: Ofsted requires improvement"
    assert run.schools_rated == 3 and run.schools_considered == 3
    rwm = MeasureRating.objects.get(school_rating=rating(p1), measure_code="ks2_rwm_exp")
    assert (rwm.value, rwm.comparator, rwm.comparator_name, rwm.band, rwm.cohort) == (48.0, 65.0, "national", "red", 30)
    assert rwm.rule.startswith("green at or above national")
    # A primary school keeps only the measures for its phase.
    assert not MeasureRating.objects.filter(school_rating=rating(p1), measure_code="ks4_att8").exists()
    assert rating(p1).bands["ks2_rwm_exp"] == "red"


def test_it_does_not_rate_schools_outside_the_partnerships_open_state_funded_schools():
    f.three_priorities()
    independent = f.school("Private Prep", governance=Governance.INDEPENDENT)
    closed = f.school("Closed Primary", status=School.Status.CLOSED)
    from schools.models import LocalAuthority

    elsewhere = f.school("Elsewhere Primary", la=LocalAuthority.objects.create(code="851", name="Portsmouth"))
    for s in (independent, closed, elsewhere):
        f.values(s, 2018, ks2_rwm_exp=10.0)
    run = runs.run_ratings()
    rated = set(SchoolRating.objects.filter(run=run).values_list("school__name", flat=True))
    assert rated == {"Red Lane Primary", "Amber Road Primary", "Green Park Primary"}


def test_each_kind_is_rated_on_its_own_latest_year_and_nothing_is_carried_forward_within_it():
    p1, p2, p3 = f.three_priorities(year=2017)
    f.values(p3, 2018, abs_overall=3.0)  # absence published for 2018; KS2's latest year is still 2017
    run = runs.run_ratings()
    assert run.year == 2018  # the run is labelled with the newest year
    # KS2 is rated on its own latest year: a newer absence year never leaves primaries unrated.
    assert rating(p1).priority == "1"
    assert MeasureRating.objects.get(school_rating=rating(p1), measure_code="ks2_rwm_exp").year == 2017
    assert "KS2 RWM 48% vs 65% national (2017/18)" in rating(p1).reasons
    # Once KS2 2018 exists, P1's 2017 figure is not carried forward into it.
    f.values(p3, 2018, ks2_rwm_exp=80.0)
    runs.run_ratings()
    assert rating(p1).bands["ks2_rwm_exp"] == "not_rated"
    assert runs.run_ratings(year=2017).year == 2017
    assert rating(p1).priority == "1"


def test_a_school_with_nothing_rated_and_no_ofsted_is_not_rated():
    f.three_priorities()
    new = f.school("New Free School", ofsted="", governance=Governance.FREE_SCHOOL)
    f.values(new, 2018, ks2_rwm_exp="NEW")
    runs.run_ratings()
    assert rating(new).priority == ""
    assert rating(new).reasons.startswith("Not rated")


def test_special_schools_are_rated_on_absence_against_the_special_row():
    f.standard_benchmarks()
    special = f.school(
        "Oak Special School",
        phase=Phase.SPECIAL,
        type_name="Community special school",
        governance=Governance.SPECIAL_MAINTAINED,
        phase_name="Not applicable",
    )
    f.values(special, 2018, ks2_rwm_exp=0.0, ks2_read_prog=-9.0, abs_overall=11.5, abs_persistent=29.0)
    runs.run_ratings()
    r = rating(special)
    assert r.bands == {"abs_overall": "red", "abs_persistent": "green"}
    assert r.priority == "2"
    assert MeasureRating.objects.get(school_rating=r, measure_code="abs_overall").comparator == 10.1


def test_a_second_run_keeps_history_and_counts_changed_priorities():
    p1, p2, p3 = f.three_priorities()
    first = runs.run_ratings()
    f.values(p3, 2018, ks2_rwm_exp=40.0)  # P3 -> P2
    second = runs.run_ratings(triggered_by="nightly")
    assert second.previous == first and second.trigger == "nightly"
    assert second.priorities_changed == 1
    assert rating(p3).changed and rating(p3).previous_priority == "3" and rating(p3).priority == "2"
    assert not rating(p1).changed
    assert SchoolRating.objects.filter(run=first, school=p3).get().priority == "3"  # history kept


def test_running_twice_gives_the_same_result():
    f.three_priorities()
    first = runs.run_ratings()
    second = runs.run_ratings()
    assert second.priorities_changed == 0
    a = list(
        SchoolRating.objects.filter(run=first)
        .order_by("school_id")
        .values_list("school_id", "priority", "reasons", "bands")
    )
    b = list(
        SchoolRating.objects.filter(run=second)
        .order_by("school_id")
        .values_list("school_id", "priority", "reasons", "bands")
    )
    assert a == b


def test_a_failed_run_leaves_the_current_ratings_whole(monkeypatch):
    p1, _, _ = f.three_priorities()
    good = runs.run_ratings()
    f.values(p1, 2018, ks2_rwm_exp=90.0, ks2_read_prog=1.0, ks2_writ_prog=1.0)

    real_insert = runs.bulk.insert

    def crash_on_measures(model, fields, rows, **kwargs):
        if model is MeasureRating:
            raise RuntimeError("disk full")
        return real_insert(model, fields, rows, **kwargs)

    # The school rows are written, then the measure rows fail: nothing of the run may show.
    monkeypatch.setattr(runs.bulk, "insert", crash_on_measures)
    with pytest.raises(RuntimeError):
        runs.run_ratings()
    failed = RatingRun.objects.latest("id")
    assert failed.status == RatingRun.Status.FAILED and "disk full" in failed.error and failed.finished_at
    assert CurrentRun.get() == good
    assert rating(p1).priority == "1"
    assert not SchoolRating.objects.filter(run=failed).exists()  # its half-written rows rolled back


def test_it_refuses_to_run_with_nothing_imported():
    f.school("Empty Primary")
    with pytest.raises(runs.NothingToRate):
        runs.run_ratings()
    with pytest.raises(CommandError, match="No core measure"):
        call_command("rate_schools")


def test_the_command_runs_a_year(capsys):
    f.three_priorities()
    call_command("rate_schools", "--year", "2018")
    out = capsys.readouterr().out
    assert "Rated 3 of 3 schools for 2018/19" in out
    assert CurrentRun.get().trigger == "command"


def test_the_inspection_age_flag_is_stored_and_not_counted():
    f.standard_benchmarks()
    old = f.school("Old Inspection Primary", ofsted="Outstanding", ofsted_date=dt.date(2010, 3, 1))
    f.values(old, 2018, ks2_rwm_exp=70.0)
    runs.run_ratings(rating_date=dt.date(2019, 11, 1))
    r = rating(old)
    assert r.inspection_age_flag and "inspection over 5 years ago" in r.flags
    assert r.priority == "3"


def test_it_uses_the_measures_own_minimum_cohort():
    f.standard_benchmarks()
    s = f.school("Small Primary")
    f.values(s, 2018, cohort=15, ks2_rwm_exp=40.0)
    f.measures()["ks2_rwm_exp"].__class__.objects.filter(code="ks2_rwm_exp").update(min_cohort=20)
    runs.run_ratings()
    assert rating(s).bands["ks2_rwm_exp"] == "not_rated"


# ---- rule sets ---------------------------------------------------------------------------------


def test_a_live_rule_set_is_never_changed_silently():
    live = RuleSet.objects.live().get()
    live.rules = {**live.rules, "trend_years": 2}
    with pytest.raises(RuleSetLocked):
        live.save()
    copy = RuleSet.objects.live().get().copy()
    assert copy.status == RuleSet.Status.DRAFT and copy.version == 2 and copy.year == live.year
    copy.rules = {**copy.rules, "trend_years": 2}
    copy.save()  # a draft can change
    assert RuleSet.objects.live().get().rules["trend_years"] == 3


def test_an_incomplete_rule_set_is_refused():
    live = RuleSet.objects.live().get()
    broken = dict(live.rules)
    broken.pop("thresholds")
    with pytest.raises(IncompleteRuleSet):
        RuleSet.objects.create(year=2019, name="Broken", rules=broken)


def test_a_run_uses_the_live_rule_set_of_its_year():
    p1, p2, p3 = f.three_priorities()
    strict = RuleSet.objects.live().get().copy(year=2018)
    rules = dict(strict.rules)
    rules["thresholds"] = {"p1_red": 3, "p2_red": 1, "p2_amber": 1}
    strict.rules = rules
    strict.status = RuleSet.Status.LIVE
    strict.save()
    run = runs.run_ratings()
    assert run.rule_set == strict
    assert runs.compute(2017).rule_set.year == 2016  # earlier years keep the older live set


def test_a_run_rates_ks4_a_year_ahead_of_ks2_and_absence_a_year_behind_each_on_its_own_year():
    f.standard_benchmarks(years=(2016, 2017, 2018, 2019))
    through = f.school("Through School", phase=Phase.ALL_THROUGH, phase_name="All-through")
    f.values(through, 2018, ks2_rwm_exp=55.0)  # KS2: 2018/19, red against 65
    f.values(through, 2019, ks4_att8=46.0)  # KS4: 2019/20, a year ahead, green against 44.5
    f.values(through, 2017, abs_overall=6.0)  # absence: 2017/18, a year behind, amber against 5.5 SEC
    run = runs.run_ratings()
    assert run.year == 2019
    years = dict(MeasureRating.objects.filter(school_rating=rating(through)).values_list("measure_code", "year"))
    bands = rating(through).bands
    assert (years["ks2_rwm_exp"], bands["ks2_rwm_exp"]) == (2018, "red")
    assert (years["ks4_att8"], bands["ks4_att8"]) == (2019, "green")
    assert (years["abs_overall"], bands["abs_overall"]) == (2017, "amber")
    assert "KS2 RWM 55% vs 65% national (2018/19)" in rating(through).reasons
    assert "overall absence 6% vs 5.5% national (2017/18)" in rating(through).reasons


def test_a_stale_kind_is_not_rated_and_says_since_when():
    f.standard_benchmarks(years=(2016, 2017, 2018, 2019))
    through = f.school("Through School", phase=Phase.ALL_THROUGH, phase_name="All-through")
    f.values(through, 2016, ks2_rwm_exp=10.0)  # more than two years older than KS4 2019/20
    f.values(through, 2019, ks4_att8=46.0)
    runs.run_ratings()
    m = MeasureRating.objects.get(school_rating=rating(through), measure_code="ks2_rwm_exp")
    assert (m.band, m.rule, m.year) == ("not_rated", "no figures since 2016/17", None)
    assert rating(through).priority == "3"
