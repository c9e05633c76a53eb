"""Permission-matrix entries for the support pages (tests.world builds them after the dashboard's).

setup(world) runs after the ratings' setup, whose rating run has already planned this term's visits for
school A (leader: world.personas.school_leader, trust: world.trust_a) and school B (nobody's). It adds a
recorded visit with a next step, questions to both schools and a peer-review round, and plants
tests.world.CANARY_RATING in school A's question: it must show on the private pages, never a public one.
"""

import datetime

from tests.world import CANARY_RATING, Route

OFFICERS = {"anonymous": "login", "school_leader": 404, "trust_leader": 404, "chair": 404, "officer": 200,
            "admin": 200}
OWN_SCHOOL = {**OFFICERS, "school_leader": 200, "trust_leader": 200}


def setup(world):
    from schools.models import Cluster
    from support import terms
    from support.models import NextStep, PeerReviewRound, Question, SupportOffer, SupportPlan, Visit

    personas = world.personas
    term = terms.term_for()
    plans = {}
    for school in (world.school_a, world.school_b):
        plans[school], _ = SupportPlan.objects.get_or_create(school=school, term=term, defaults={"priority": "1"})
    world.visit_a = Visit.objects.filter(school=world.school_a).first() or Visit.objects.create(
        plan=plans[world.school_a], school=world.school_a, planned_date=term.start)
    world.visit_a.status = Visit.Status.DONE
    world.visit_a.done_date = term.start
    world.visit_a.visitor = personas.officer
    world.visit_a.findings = "Reading is improving in Year 6; writing moderation is not yet secure."
    world.visit_a.focus = ["ks2_writ_prog"]
    world.visit_a.save()
    NextStep.objects.create(visit=world.visit_a, action="Moderate Year 6 writing with a partner school",
                            owner="Headteacher", due_date=term.start + datetime.timedelta(days=30))
    world.visit_b = Visit.objects.filter(school=world.school_b).first() or Visit.objects.create(
        plan=plans[world.school_b], school=world.school_b, planned_date=term.start)
    measures = [{"code": "ks2_rwm_exp", "label": "KS2 RWM expected", "unit": "percent", "value": 48.0,
                 "comparator": 65.0, "comparator_name": "England", "core": True}]
    world.question_a = Question.objects.create(
        school=world.school_a, term=term, plan=plans[world.school_a], measures=measures,
        text=f"Please explain the KS2 reading, writing and maths figure ({CANARY_RATING}).",
        reply_by=term.end,
    )
    world.question_b = Question.objects.create(
        school=world.school_b, term=term, plan=plans[world.school_b], measures=measures,
        text="Please explain the attainment figures.", reply_by=term.end,
    )
    world.cluster, _ = Cluster.objects.get_or_create(name="Matrix cluster", defaults={"kind": "peer review"})
    world.cluster.schools.add(world.school_a, world.school_b)
    round_ = PeerReviewRound.objects.create(cluster=world.cluster, term=term, date=term.start, notes="First round.")
    round_.schools_reviewed.add(world.school_a)
    SupportOffer.objects.get_or_create(school=world.school_b, measure_code="")


ROUTES = [
    Route("support:overview", expect={**OWN_SCHOOL}, a11y="officer"),
    Route("support:overview", expect={**OWN_SCHOOL}, a11y="school_leader", query="?as=leader"),
    Route("support:school", lambda w: {"urn": w.school_a.urn}, OWN_SCHOOL, a11y="officer"),
    Route("support:school", lambda w: {"urn": w.school_a.urn}, OWN_SCHOOL, a11y="school_leader", query="?as=leader"),
    Route("support:school", lambda w: {"urn": w.school_b.urn}, OFFICERS, a11y="admin"),
    Route("support:visit", lambda w: {"pk": w.visit_a.pk}, OWN_SCHOOL, a11y="officer"),
    Route("support:visit", lambda w: {"pk": w.visit_a.pk}, OWN_SCHOOL, a11y="school_leader", query="?as=leader"),
    Route("support:visit", lambda w: {"pk": w.visit_b.pk}, OFFICERS, a11y="officer"),
    Route("support:visit_record", lambda w: {"pk": w.visit_a.pk}, OFFICERS, a11y="officer"),
    Route("support:visit_record", lambda w: {"pk": w.visit_b.pk}, OFFICERS, a11y="officer"),
    Route("support:question", lambda w: {"pk": w.question_a.pk}, OWN_SCHOOL, a11y="officer"),
    Route("support:question", lambda w: {"pk": w.question_a.pk}, OWN_SCHOOL, a11y="school_leader",
          query="?as=leader"),
    Route("support:question", lambda w: {"pk": w.question_b.pk}, OFFICERS, a11y="admin"),
    Route("support:peer", expect=OFFICERS, a11y="officer"),
    Route("support:peer_round_new", lambda w: {"pk": w.cluster.pk}, OFFICERS, a11y="officer"),
]
