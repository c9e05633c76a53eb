"""The support pages as officers and school leaders use them (the shared world of the permission matrix)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from schools.models import Governance
from support import terms
from support.models import (
    NextStep,
    PeerReviewRound,
    Question,
    SupportEvent,
    SupportExclusion,
    SupportOffer,
    Visit,
)
from tests.world import CANARY_RATING, all_routes, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def text(response):
    return response.content.decode()


def test_an_officer_sees_this_terms_visits_questions_and_next_steps(world, client_for):
    overdue = Visit.objects.create(plan=world.visit_b.plan, school=world.school_b,
                                   planned_date=timezone.localdate() - datetime.timedelta(days=1))
    page = text(client_for("officer").get("/dashboard/support/"))
    assert "Visits this term" in page and "Questions to schools" in page and "Next steps due" in page
    assert world.school_a.name in page and world.school_b.name in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert "Moderate Year 6 writing with a partner school" in page  # a next step past due
    assert f"/dashboard/support/visits/{overdue.pk}/record/" in page
    assert "KS2 RWM expected" in page


def test_an_officer_records_a_visit_with_next_steps(world, client_for):
    officer = client_for("officer")
    url = f"/dashboard/support/visits/{world.visit_b.pk}/record/"
    form = officer.get(url)
    assert "Record the visit" in text(form) and 'type="date"' in text(form)
    due = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "done_date": timezone.localdate().isoformat(), "visitor": world.personas.officer.pk,
        "met_with": "Headteacher", "focus": ["abs_persistent"],
        "findings": "Persistent absence is the main concern this term.",
        "steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "10",
        "steps-0-action": "Weekly attendance panel", "steps-0-owner": "Deputy head", "steps-0-due_date": due.isoformat(),
        "steps-1-action": "", "steps-1-owner": "Head", "steps-1-due_date": "",
    }
    refused = officer.post(url, data)
    assert refused.status_code == 200
    assert "Enter the next step, or clear its owner and date" in text(refused)
    data["steps-1-owner"] = ""
    response = officer.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/dashboard/support/visits/{world.visit_b.pk}/"
    visit = Visit.objects.get(pk=world.visit_b.pk)
    assert visit.status == "done" and visit.focus == ["abs_persistent"] and visit.recorded_by == world.personas.officer
    step = NextStep.objects.get(visit=visit)
    assert (step.action, step.owner, step.due_date) == ("Weekly attendance panel", "Deputy head", due)
    assert SupportEvent.objects.filter(school=world.school_b, kind="visit_done").exists()
    page = text(officer.get(response["Location"]))
    assert "Note of visit" in page and "Weekly attendance panel" in page and "Persistent absence" in page
    # Marking the next step done.
    officer.post(response["Location"], {"do": "step_done", "step": step.pk})
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()


def test_a_visit_needs_findings_and_a_real_date(world, client_for):
    response = client_for("officer").post(f"/dashboard/support/visits/{world.visit_b.pk}/record/", {
        "done_date": "2026-02-30", "findings": "", "steps-TOTAL_FORMS": "0", "steps-INITIAL_FORMS": "0"})
    page = text(response)
    assert "There is a problem" in page
    assert "Enter a real date" in page and "Enter what the visit found" in page
    assert Visit.objects.get(pk=world.visit_b.pk).status == "planned"


def test_a_school_leader_reads_their_notes_of_visit_without_changing_them(world, client_for):
    leader = client_for("school_leader")
    page = text(leader.get(f"/dashboard/support/visits/{world.visit_a.pk}/"))
    assert "Reading is improving in Year 6" in page and "Moderate Year 6 writing" in page
    assert "Record the visit" not in page and "Mark as done" not in page and "Edit the note" not in page
    step = NextStep.objects.get(visit=world.visit_a)
    assert leader.post(f"/dashboard/support/visits/{world.visit_a.pk}/",
                       {"do": "step_done", "step": step.pk}).status_code == 404
    assert leader.get(f"/dashboard/support/visits/{world.visit_a.pk}/record/").status_code == 404
    assert leader.get(f"/dashboard/support/visits/{world.visit_b.pk}/").status_code == 404


def test_a_school_leader_answers_and_the_officer_closes(world, client_for, django_capture_on_commit_callbacks):
    leader = client_for("school_leader")
    url = f"/dashboard/support/questions/{world.question_a.pk}/"
    home = text(leader.get("/dashboard/support/"))
    assert world.school_a.name in home and world.school_b.name not in home
    assert "1 question is waiting for your reply" in home
    page = text(leader.get(url))
    assert CANARY_RATING in page and "48%" in page and "65% England" in page and "Send the reply" in page
    empty = leader.post(url, {"do": "reply", "explanation": " ", "action": ""})
    assert "Enter an explanation, an action, or both" in text(empty)
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(url, {"do": "reply", "explanation": "A cohort of 12 pupils, four with EHC plans.",
                          "action": ""})
    told = [m for m in mail.outbox if world.personas.officer.email in m.to]
    assert len(told) == 1 and world.school_a.name in told[0].subject
    question = Question.objects.get(pk=world.question_a.pk)
    assert question.status == "answered" and question.replies.get().author == world.personas.school_leader
    assert leader.post(url, {"do": "close", "outcome": "x"}).status_code == 404  # leaders cannot close

    officer = client_for("officer")
    page = text(officer.get(url))
    assert "A cohort of 12 pupils" in page and "Close the question" in page and "Send the reply" not in page
    assert "Enter the outcome" in text(officer.post(url, {"do": "close", "outcome": ""}))
    officer.post(url, {"do": "close", "outcome": "Explanation accepted."})
    question.refresh_from_db()
    assert question.status == "closed" and question.closed_by == world.personas.officer
    # Closed: no reply form any more, and a late reply is refused.
    assert "Send the reply" not in text(leader.get(url))
    leader.post(url, {"do": "reply", "explanation": "One more thing"})
    assert question.replies.count() == 1
    assert [e.kind for e in SupportEvent.objects.filter(school=world.school_a, kind__in=["reply", "question_closed"])
            .order_by("at", "id")] == ["reply", "question_closed"]


def test_a_trust_leader_answers_for_the_trusts_school_only(world, client_for):
    trust = client_for("trust_leader")
    trust.post(f"/dashboard/support/questions/{world.question_a.pk}/", {"do": "reply", "action": "Trust review."})
    assert Question.objects.get(pk=world.question_a.pk).status == "answered"
    assert trust.post(f"/dashboard/support/questions/{world.question_b.pk}/",
                      {"do": "reply", "action": "x"}).status_code == 404
    assert Question.objects.get(pk=world.question_b.pk).status == "open"


def test_the_support_record_sits_beside_the_school_dashboard(world, client_for):
    for persona in ("officer", "school_leader"):
        page = text(client_for(persona).get(f"/dashboard/schools/{world.school_a.urn}/"))
        assert "Support this term" in page
        assert f"/dashboard/support/questions/{world.question_a.pk}/" in page
        assert f"/dashboard/support/schools/{world.school_a.urn}/" in page


def test_a_leader_sees_no_history_forms_or_helpers_on_the_record(world, client_for):
    page = text(client_for("school_leader").get(f"/dashboard/support/schools/{world.school_a.urn}/"))
    assert "Questions" in page and "Visits" in page
    assert "History" not in page and "Who can help" not in page and "Save the plan" not in page
    assert client_for("school_leader").post(f"/dashboard/support/schools/{world.school_a.urn}/",
                                            {"do": "visit", "planned_date": "2026-12-01"}).status_code == 404


def test_an_officer_assigns_an_adviser_and_plans_another_visit(world, client_for):
    officer = client_for("officer")
    url = f"/dashboard/support/schools/{world.school_b.urn}/"
    officer.post(url, {"do": "plan", "adviser": world.personas.officer.pk, "supporting_school": world.school_a.pk,
                       "notes": "Brokered support"})
    plan = world.visit_b.plan
    plan.refresh_from_db()
    assert plan.adviser == world.personas.officer and plan.supporting_school == world.school_a
    day = terms.term_for().end
    officer.post(url, {"do": "visit", "planned_date": day.isoformat()})
    assert Visit.objects.filter(school=world.school_b, planned_date=day, visitor=world.personas.officer).exists()
    page = text(officer.get(url))
    assert "Brokered support" in page and "Plan updated" in page
    bad = officer.post(url, {"do": "visit", "planned_date": "soon"})
    assert "Enter a real date" in text(bad)


def test_exclusions_show_on_the_pages(world, client_for):
    SupportExclusion.objects.create(category=Governance.LA_MAINTAINED, reason="Supported by the council's own team",
                                    created_by=world.personas.admin)
    page = text(client_for("officer").get("/dashboard/support/"))
    assert "All la maintained schools" in page and "Supported by the council" in page
    record = text(client_for("officer").get(f"/dashboard/support/schools/{world.school_b.urn}/"))
    assert "Out of scope for support" in record


def test_peer_support_offers_rounds_and_who_can_help(world, client_for):
    officer = client_for("officer")
    officer.post("/dashboard/support/peer-support/", {"do": "offer", "school": world.school_b.pk,
                                                      "measure_code": "abs_persistent", "note": "Attendance team"})
    assert SupportOffer.objects.filter(school=world.school_b, measure_code="abs_persistent").exists()
    page = text(officer.get("/dashboard/support/peer-support/"))
    assert "Attendance team" in page and "Matrix cluster" in page and "First round." in page
    url = f"/dashboard/support/peer-support/clusters/{world.cluster.pk}/rounds/new/"
    refused = officer.post(url, {"date": "2026-01-20", "notes": "x"})
    assert "Choose at least one school reviewed" in text(refused)
    officer.post(url, {"date": "2026-01-20", "schools_reviewed": [world.school_b.pk], "notes": "Second round."})
    round_ = PeerReviewRound.objects.get(notes="Second round.")
    assert list(round_.schools_reviewed.all()) == [world.school_b] and round_.term.name == "spring"


def test_no_public_page_shows_a_support_record(world, client_for):
    assert Question.objects.filter(text__contains=CANARY_RATING).exists()
    public = [r for r in all_routes() if r.expect.get("anonymous") == 200]
    client = client_for("anonymous")
    for route in public:
        body = client.get(route.url(world))
        content = b"".join(body.streaming_content) if body.streaming else body.content
        assert CANARY_RATING.encode() not in content
        assert b"Moderate Year 6 writing" not in content
    for persona in ("school_leader", "trust_leader", "chair"):
        response = client_for(persona).get(f"/dashboard/support/questions/{world.question_b.pk}/?x={CANARY_RATING}")
        assert response.status_code == 404 and CANARY_RATING not in text(response)


def test_an_admin_takes_a_category_out_of_scope_and_moves_term_dates_in_the_admin(world, client_for):
    admin = client_for("admin")
    for url in ("/admin/support/supportexclusion/add/", "/admin/support/term/", "/admin/support/supportsettings/",
                "/admin/support/visit/", "/admin/support/question/", "/admin/support/supportevent/",
                "/admin/support/peerreviewround/add/", "/admin/support/supportoffer/add/"):
        assert admin.get(url).status_code == 200, url
    response = admin.post("/admin/support/supportexclusion/add/", {
        "category": Governance.ACADEMY, "school": "", "reason": "Their trusts provide their support"})
    assert response.status_code == 302
    exclusion = SupportExclusion.objects.get()
    assert exclusion.created_by == world.personas.admin and exclusion.what == "All academy schools"
    both = admin.post("/admin/support/supportexclusion/add/", {
        "category": Governance.ACADEMY, "school": world.school_a.pk, "reason": "x"})
    assert "Choose either one school or one category" in text(both)
    term = terms.term_for()
    response = admin.post(f"/admin/support/term/{term.pk}/change/", {
        "academic_year": term.academic_year, "name": term.name, "start": term.start.isoformat(),
        "end": (term.start - datetime.timedelta(days=1)).isoformat()})
    assert "The term must end on or after its start." in text(response)
    # The addresses these pages had under the dashboard app lead to them.
    old = admin.get(f"/admin/dashboard/term/{term.pk}/change/?x=1")
    assert old.status_code == 301 and old["Location"] == f"/admin/support/term/{term.pk}/change/?x=1"


def test_a_best_fit_priority_set_on_the_dashboard_moves_the_support_work(world, client_for,
                                                                         django_capture_on_commit_callbacks):
    officer = client_for("officer")
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/dashboard/schools/{world.school_b.urn}/",
                     {"action": "set", "priority": "3", "reason": "Best fit: results explained by a tiny cohort"})
    assert Visit.objects.get(pk=world.visit_b.pk).status == "cancelled"
    asked = Question.objects.filter(school=world.school_b, status="open").exclude(pk=world.question_b.pk)
    assert not asked.exists()  # the open question already there is brought up to date instead
    question = Question.objects.get(pk=world.question_b.pk)
    assert "ks4_p8" in question.codes and "Question updated" in text(
        officer.get(f"/dashboard/support/schools/{world.school_b.urn}/"))


def test_a_school_leader_offers_their_schools_support(world, client_for):
    leader = client_for("school_leader")
    leader.post("/dashboard/support/", {"do": "offer", "school": world.school_a.pk, "measure_code": "abs_overall",
                                        "note": "Our attendance officer can visit"})
    offer = SupportOffer.objects.get(school=world.school_a)
    assert "Our attendance officer can visit" in text(leader.get("/dashboard/support/"))
    # Another school is not theirs to offer.
    refused = leader.post("/dashboard/support/", {"do": "offer", "school": world.school_b.pk, "measure_code": ""})
    assert "Select a valid choice" in text(refused)
    assert SupportOffer.objects.filter(school=world.school_b, measure_code="abs_overall").count() == 0
    other = SupportOffer.objects.get(school=world.school_b)
    assert leader.post("/dashboard/support/", {"do": "remove_offer", "offer": other.pk}).status_code == 404
    leader.post("/dashboard/support/", {"do": "remove_offer", "offer": offer.pk})
    assert not SupportOffer.objects.filter(pk=offer.pk).exists()


def test_the_officer_overview_pages_its_visits_with_a_constant_number_of_queries(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = client_for("officer")
    officer.get("/dashboard/support/")
    with CaptureQueriesContext(connection) as few:
        officer.get("/dashboard/support/")
    day = terms.term_for().end
    Visit.objects.bulk_create([Visit(plan=world.visit_b.plan, school=world.school_b, planned_date=day)
                               for _ in range(150)])
    with CaptureQueriesContext(connection) as many:
        first = text(officer.get("/dashboard/support/"))
    assert len(many.captured_queries) <= len(few.captured_queries)
    planned = Visit.objects.filter(status="planned").count()
    assert "page 1 of 2" in first and f"{planned} due" in first
    second = text(officer.get("/dashboard/support/?page=2"))
    assert "page 2 of 2" in second
    assert second.count("Record the visit") == Visit.objects.exclude(status="cancelled").count() - 100
