"""Support work after a rating run: terms, visits for P1/P2, questions to P3 schools, priority changes,
scope, reminders, who can help. Pages are tested in test_support_pages.py."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from dashboard import runs
from dashboard.models import CurrentRun, PriorityOverride, RuleSet
from dashboard.tests import factories as f
from schools.models import Governance
from support import measures, plans, reminders, terms
from support.models import (
    NextStep,
    Question,
    SupportEvent,
    SupportExclusion,
    SupportOffer,
    SupportPlan,
    SupportSettings,
    Term,
    Visit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    p1, p2, p3 = f.three_priorities()
    one_red = f.school("One Red Primary", ofsted="Good")
    f.values(one_red, 2018, ks2_rwm_exp=48.0, ks2_read_prog=0.5, ks2_writ_prog=0.2, ks2_mat_prog=1.0,
             abs_overall=3.0, abs_persistent=7.0)
    academy = f.school("Trust Road Academy", governance=Governance.ACADEMY, ofsted="Inadequate")
    f.values(academy, 2018, ks2_rwm_exp=70.0, abs_overall=3.0, abs_persistent=7.0)
    return {"p1": p1, "p2": p2, "p3": p3, "one_red": one_red, "academy": academy}


def relaxed_rule_set():
    """The default rules, but P2 only from two red core measures: one red measure leaves a school P3."""
    live = RuleSet.objects.live().first()
    copy = live.copy(year=live.year)
    copy.rules = {**copy.rules, "thresholds": {**copy.rules["thresholds"], "p2_red": 2}}
    copy.save()
    return copy


def plan(school):
    return SupportPlan.objects.get(school=school, term=terms.term_for())


def live_visits(school):
    return Visit.objects.filter(school=school).exclude(status=Visit.Status.CANCELLED)


def active_question(school):
    return Question.objects.active().filter(school=school).first()


# ---- terms ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("year,sunday", [
    (2019, datetime.date(2019, 4, 21)),
    (2024, datetime.date(2024, 3, 31)),
    (2025, datetime.date(2025, 4, 20)),
    (2026, datetime.date(2026, 4, 5)),
    (2027, datetime.date(2027, 3, 28)),
    (2038, datetime.date(2038, 4, 25)),
])
def test_it_computes_easter_sunday(year, sunday):
    assert terms.easter(year) == sunday


def test_it_makes_the_three_terms_of_a_year_with_easter_between_spring_and_summer():
    year = terms.ensure_terms(2025)
    assert [(t.name, t.start, t.end) for t in year] == [
        ("autumn", datetime.date(2025, 9, 1), datetime.date(2025, 12, 31)),
        ("spring", datetime.date(2026, 1, 1), datetime.date(2026, 4, 5)),
        ("summer", datetime.date(2026, 4, 6), datetime.date(2026, 8, 31)),
    ]
    assert terms.term_for(datetime.date(2026, 4, 5)).name == "spring"
    assert terms.term_for(datetime.date(2026, 4, 6)).name == "summer"
    assert terms.term_for(datetime.date(2025, 10, 1)).name == "autumn"
    assert str(terms.term_for(datetime.date(2026, 8, 31))) == "Summer term 2025/26"


def test_it_keeps_term_dates_an_admin_moved():
    terms.ensure_terms(2025)
    Term.objects.filter(academic_year=2025, name="spring").update(end=datetime.date(2026, 3, 27))
    Term.objects.filter(academic_year=2025, name="summer").update(start=datetime.date(2026, 4, 13))
    terms.ensure_terms(2025)
    assert Term.objects.get(academic_year=2025, name="spring").end == datetime.date(2026, 3, 27)
    # The Easter holiday falls in no term: the spring term is still the current one.
    assert terms.term_for(datetime.date(2026, 4, 1)).name == "spring"
    assert Term.objects.count() == 3


# ---- after a run ---------------------------------------------------------------------------------

def test_after_a_run_every_p1_and_p2_school_has_its_visits_planned(schools):
    run = runs.run_ratings()
    term = terms.term_for()
    assert plan(schools["p1"]).priority == "1"
    assert live_visits(schools["p1"]).count() == 2
    assert live_visits(schools["p2"]).count() == 1
    assert live_visits(schools["one_red"]).count() == 1  # one red core measure: P2
    assert live_visits(schools["p3"]).count() == 0
    assert not Question.objects.exists()  # no P3 school has a red measure under the default rules
    for v in Visit.objects.all():
        assert term.start <= v.planned_date <= term.end and v.status == "planned"
    assert SchoolRatingPriorities(run) == {"Red Lane Primary": "1", "Amber Road Primary": "2",
                                           "Green Park Primary": "3", "One Red Primary": "2",
                                           "Trust Road Academy": "1"}
    assert SupportEvent.objects.filter(school=schools["p1"], kind="visit_planned").count() == 2


def SchoolRatingPriorities(run):
    return {r.school.name: r.priority for r in run.school_ratings.select_related("school")}


def test_every_p3_school_with_a_red_measure_is_asked_about_exactly_those_measures(schools):
    runs.run_ratings(rule_set=relaxed_rule_set())
    assert plan(schools["one_red"]).priority == "3"
    assert live_visits(schools["one_red"]).count() == 0
    question = active_question(schools["one_red"])
    assert question.status == "open"
    assert question.codes == ["ks2_rwm_exp"]
    m = question.measures[0]
    assert (m["value"], m["comparator"]) == (48.0, 65.0)
    assert "48%" in question.text and "65%" in question.text
    assert question.reply_by > datetime.date.today()
    # Every P3 school with a red measure has a question; none without one.
    assert active_question(schools["p3"]) is None
    for p in SupportPlan.objects.filter(priority="3"):
        reds = measures.red_measures(CurrentRun.get(), [p.school_id]).get(p.school_id, [])
        q = active_question(p.school)
        assert (q is not None) == bool(reds)
        if q:
            assert q.codes == sorted(r["code"] for r in reds)


def test_a_priority_change_moves_the_work_and_keeps_the_history(schools):
    school = schools["one_red"]
    runs.run_ratings()
    assert live_visits(school).count() == 1
    runs.run_ratings(rule_set=relaxed_rule_set())  # P2 -> P3
    assert live_visits(school).count() == 0
    assert Visit.objects.get(school=school).status == "cancelled"
    assert "Priority 3" in Visit.objects.get(school=school).cancelled_reason
    assert active_question(school).codes == ["ks2_rwm_exp"]
    runs.run_ratings(rule_set=RuleSet.objects.live().first())  # P3 -> P2
    assert live_visits(school).count() == 1
    assert Question.objects.get(school=school).status == "withdrawn"
    kinds = list(SupportEvent.objects.filter(school=school).order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["plan", "visit_planned", "priority", "visit_cancelled", "question", "priority",
                     "visit_planned", "question_withdrawn"]
    assert plan(school).priority == "2"


def test_a_p1_school_that_becomes_p2_keeps_one_visit(schools):
    runs.run_ratings()
    school = schools["p1"]
    SupportSettings.objects.filter(pk=1).update(p1_visits_per_term=3)
    plans.sync_support_after_run(CurrentRun.get())
    assert live_visits(school).count() == 3
    PriorityOverride.objects.create(school=school, priority="2", reason="Best fit after the visit", set_by=None)
    plans.sync_school(school)
    assert live_visits(school).count() == 1


def test_a_best_fit_priority_moves_the_work_when_it_is_saved(schools, django_capture_on_commit_callbacks):
    runs.run_ratings()
    school = schools["p1"]
    with django_capture_on_commit_callbacks(execute=True):
        PriorityOverride.objects.create(school=school, priority="3", reason="Best fit: small cohort", set_by=None)
    assert live_visits(school).count() == 0
    assert active_question(school).codes == ["ks2_read_prog", "ks2_rwm_exp", "ks2_writ_prog"]
    override = PriorityOverride.objects.get(school=school)
    with django_capture_on_commit_callbacks(execute=True):
        override.cleared_at = datetime.datetime.now(datetime.UTC)
        override.save()
    assert live_visits(school).count() == 2
    assert active_question(school) is None


def test_running_twice_changes_nothing(schools):
    run = runs.run_ratings(rule_set=relaxed_rule_set())
    before = (SupportPlan.objects.count(), Visit.objects.count(), Question.objects.count(),
              SupportEvent.objects.count())
    assert plans.sync_support_after_run(run) == {}
    assert (SupportPlan.objects.count(), Visit.objects.count(), Question.objects.count(),
            SupportEvent.objects.count()) == before


def test_an_answered_question_stays_for_the_officer_to_close(schools):
    school = schools["one_red"]
    runs.run_ratings(rule_set=relaxed_rule_set())
    q = active_question(school)
    q.replies.create(explanation="Small cohort", action="")
    q.status = Question.Status.ANSWERED
    q.save()
    runs.run_ratings(rule_set=RuleSet.objects.live().first())  # now P2: a visit, the answer stays
    q.refresh_from_db()
    assert q.status == "answered"


def test_a_failure_in_the_support_step_never_undoes_the_run(schools, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("support is broken")

    monkeypatch.setattr(plans, "sync_support_after_run", broken)
    run = runs.run_ratings()
    assert CurrentRun.get() == run and run.status == "done"
    assert not SupportPlan.objects.exists()


def test_an_officers_plan_and_extra_visit_make_the_plan_once_at_the_effective_priority(schools, personas):
    SupportExclusion.objects.create(school=schools["p1"], reason="Supported by the diocese")
    runs.run_ratings()
    assert not SupportPlan.objects.filter(school=schools["p1"]).exists()
    term = terms.term_for()
    plan = plans.assign_plan(schools["p1"], term, personas.officer, adviser=personas.officer, supporting_school=None,
                             notes="Brokered")
    visit = plans.plan_visit(schools["p1"], term, term.end, personas.officer)
    assert SupportPlan.objects.get(school=schools["p1"]) == plan and plan.priority == "1"
    assert visit.plan == plan and visit.visitor == personas.officer
    kinds = SupportEvent.objects.filter(school=schools["p1"], user=personas.officer).values_list("kind", flat=True)
    assert sorted(kinds) == ["plan", "visit_planned"]


# ---- scope ---------------------------------------------------------------------------------------

def test_an_excluded_school_or_category_gets_no_work(schools):
    SupportExclusion.objects.create(category=Governance.ACADEMY, reason="Their trust provides their support")
    SupportExclusion.objects.create(school=schools["p2"], reason="Supported by the diocese")
    runs.run_ratings()
    assert not SupportPlan.objects.filter(school__in=[schools["academy"], schools["p2"]]).exists()
    assert live_visits(schools["p1"]).count() == 2
    assert plans.exclusion_for(schools["academy"]).what == "All academy schools"


def test_taking_a_school_out_of_scope_cancels_its_planned_visits(schools):
    runs.run_ratings()
    SupportExclusion.objects.create(school=schools["p1"], reason="Now supported by its new trust")
    plans.sync_support_after_run(CurrentRun.get())
    assert live_visits(schools["p1"]).count() == 0
    assert plan(schools["p1"]).in_scope is False
    SupportExclusion.objects.all().delete()
    plans.sync_support_after_run(CurrentRun.get())
    assert live_visits(schools["p1"]).count() == 2


# ---- reminders -----------------------------------------------------------------------------------

def test_overdue_items_are_emailed_to_officers_and_schools(schools, personas):
    runs.run_ratings(rule_set=relaxed_rule_set())
    schools["one_red"].leaders.add(personas.school_leader)
    visit = live_visits(schools["p1"]).first()
    later = terms.term_for().end + datetime.timedelta(days=10)
    NextStep.objects.create(visit=visit, action="Phonics audit", owner="Head",
                            due_date=later - datetime.timedelta(days=30))
    Question.objects.update(reply_by=terms.term_for().end)
    mail.outbox.clear()
    result = reminders.send_reminders(today=later)
    assert result["visits"] == 5 and result["next_steps"] == 1 and result["questions"] == 1
    to_officer = [m for m in mail.outbox if personas.officer.email in m.to]
    assert len(to_officer) == 1
    assert "Red Lane Primary" in to_officer[0].body and "Phonics audit" in to_officer[0].body
    to_school = [m for m in mail.outbox if personas.school_leader.email in m.to]
    assert len(to_school) == 1 and "One Red Primary" in to_school[0].body
    assert "Red Lane" not in to_school[0].body  # a school hears only about itself
    # The school is not reminded again the next night; officers get their digest.
    mail.outbox.clear()
    reminders.send_reminders(today=later + datetime.timedelta(days=1))
    assert not [m for m in mail.outbox if personas.school_leader.email in m.to]
    assert [m for m in mail.outbox if personas.officer.email in m.to]
    # A month after the term ended, its items stay on the pages but leave the inboxes.
    mail.outbox.clear()
    result = reminders.send_reminders(today=later + datetime.timedelta(days=60))
    assert (result["visits"], result["questions"]) == (0, 0) and result["next_steps"] == 1


def test_the_reminder_command_and_task_do_the_same_job(schools, personas):
    runs.run_ratings()
    from io import StringIO

    from support.tasks import send_support_reminders

    out = StringIO()
    after = terms.term_for().end + datetime.timedelta(days=5)
    call_command("send_support_reminders", "--date", after.isoformat(), stdout=out)
    assert "support reminders: 6 visits" in out.getvalue()  # P1: 2 + 2, P2: 1 + 1, all past due
    assert send_support_reminders.apply().get()["visits"] == 0  # today: nothing is past due yet


def test_the_stored_nightly_entry_names_the_reminder_task_the_worker_finds():
    from pep_portal.celery import app

    app.autodiscover_tasks(force=True)
    task = app.tasks["dashboard.support_tasks.send_support_reminders"]  # the name the beat entry stores
    assert task.run.__module__ == "support.tasks"


def test_nothing_overdue_sends_nothing(schools, personas):
    runs.run_ratings()
    mail.outbox.clear()
    reminders.send_reminders(today=terms.term_for().start)
    assert mail.outbox == []


# ---- peer support --------------------------------------------------------------------------------

def test_who_can_help_lists_willing_schools_green_on_the_measure(schools):
    runs.run_ratings()
    SupportOffer.objects.create(school=schools["p3"], measure_code="ks2_rwm_exp")
    SupportOffer.objects.create(school=schools["p2"])  # willing in general, green on RWM too
    SupportOffer.objects.create(school=schools["p1"])  # willing but red on RWM
    helpers = [s.name for s in measures.who_can_help(schools["one_red"], "ks2_rwm_exp")]
    assert helpers == ["Amber Road Primary", "Green Park Primary"]
    assert [s.name for s in measures.who_can_help(schools["one_red"], "ks2_read_prog")] == [
        "Amber Road Primary"]


# ---- demo ----------------------------------------------------------------------------------------

def test_the_demo_support_has_visits_questions_and_a_review_round_and_runs_twice_unchanged(schools):
    from schools.models import Cluster
    from support.demo import demo_support
    from support.models import PeerReviewRound, Reply

    cluster = Cluster.objects.create(name="North locality")
    cluster.schools.add(schools["p1"], schools["p3"])
    extra = f.school("Second Red Primary", ofsted="Good")
    f.values(extra, 2018, ks2_rwm_exp=70.0, ks2_read_prog=-3.0, ks2_writ_prog=0.2, ks2_mat_prog=1.0,
             abs_overall=3.0, abs_persistent=7.0)
    runs.run_ratings()
    demo_support()

    def state():
        return (SupportPlan.objects.count(), Visit.objects.filter(status="planned").count(),
                Visit.objects.filter(status="done").count(), NextStep.objects.count(), Question.objects.count(),
                Reply.objects.count(), PeerReviewRound.objects.count(), SupportOffer.objects.count(),
                SupportEvent.objects.count())

    first = state()
    assert Visit.objects.filter(status="done").count() == 1 and NextStep.objects.count() == 2
    assert Question.objects.count() == 2 and Reply.objects.count() == 1  # two best-fit P3 schools, one answered
    assert PeerReviewRound.objects.get().schools_reviewed.count() == 2
    demo_support()
    assert state() == first


def test_who_can_help_lists_schools_of_the_same_cluster_first(schools):
    from schools.models import Cluster

    runs.run_ratings()
    for s in (schools["p2"], schools["p3"]):
        SupportOffer.objects.create(school=s)
    cluster = Cluster.objects.create(name="South locality")
    cluster.schools.add(schools["one_red"], schools["p3"])
    helpers = list(measures.who_can_help(schools["one_red"], "ks2_rwm_exp"))
    assert [(s.name, s.same_cluster) for s in helpers] == [("Green Park Primary", 1), ("Amber Road Primary", 0)]
