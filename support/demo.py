"""Demo support (a load_demo step after the demo ratings): this term's plans from the demo ratings, an
adviser, one visit recorded with next steps, questions to two schools (one answered by its headteacher),
offers of support and a peer-review round in a cluster. Idempotent: a second call changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from dashboard.models import CurrentRun, PriorityOverride, SchoolRating
from dashboard.overrides import set_best_fit
from pep_portal import demo_personas
from pep_portal.roles import Role
from schools.models import Cluster

from . import measures, plans, terms
from .models import (
    NextStep,
    PeerReviewRound,
    Question,
    Reply,
    SupportEvent,
    SupportOffer,
    SupportPlan,
    Visit,
)

DEMO_DOMAIN = "demo.example.org"
BEST_FIT_REASON = (
    "Best fit after a conversation with the headteacher: one red measure from a small, unusual cohort. "
    "A question about it is enough this term."
)


def _user(email, first, last, role):
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(demo_personas.admin_password())
        user.save()
        user.groups.add(*Group.objects.filter(name=role))
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    return user


def demo_support(stdout=None):
    run = CurrentRun.get()
    if run is None:
        _say(stdout, "demo support: no rating run yet; nothing planned")
        return
    today = timezone.localdate()
    term = terms.term_for(today)
    with transaction.atomic():
        adviser = _user(f"sam.adviser@{DEMO_DOMAIN}", "Sam", "Adviser", Role.LA_OFFICER)
        plans.sync_support_after_run(run, today=today)
        ratings = SchoolRating.objects.filter(run=run).select_related("school").order_by("school__name")

        # Two P2 schools with a single red measure get a best-fit P3 and, through it, a question.
        if not PriorityOverride.objects.filter(reason=BEST_FIT_REASON).exists():
            picked = [r for r in ratings if r.priority == "2" and r.red_core == 1 and r.ofsted_band != "amber"][:2]
            for r in picked:
                set_best_fit(r.school, "3", BEST_FIT_REASON, adviser, run)
                plans.sync_support_after_run(run, today=today, school_ids=[r.school_id], user=adviser)

        # The adviser leads the P1 schools' visits.
        for plan in SupportPlan.objects.filter(term=term, priority="1", adviser=None):
            plan.adviser = adviser
            plan.save(update_fields=["adviser", "updated_at"])
            plan.visits.filter(status=Visit.Status.PLANNED, visitor=None).update(visitor=adviser)

        # One visit recorded, with an overdue next step and one to come.
        if not Visit.objects.filter(status=Visit.Status.DONE, recorded_by=adviser).exists():
            visit = (Visit.objects.filter(plan__term=term, plan__priority="1", status=Visit.Status.PLANNED)
                     .order_by("school__name", "planned_date").first())
            if visit is not None:
                reds = measures.red_measures(run, [visit.school_id]).get(visit.school_id, [])
                visit.status = Visit.Status.DONE
                visit.done_date = max(term.start, today - datetime.timedelta(days=14))
                visit.visitor = adviser
                visit.met_with = "Headteacher, deputy headteacher and chair of governors"
                visit.focus = [m["code"] for m in reds]
                visit.findings = (
                    "Leaders know where results fell short and have started a new reading programme "
                    "in the oldest classes. Writing is not yet moderated with other schools, and persistent absence "
                    "is not tracked week by week."
                )
                visit.recorded_by = adviser
                visit.recorded_at = timezone.now()
                visit.save()
                NextStep.objects.create(visit=visit, action="Moderate writing with a partner school",
                                        owner="Deputy headteacher", due_date=today - datetime.timedelta(days=3))
                NextStep.objects.create(visit=visit, action="Weekly attendance review with the governors' lead",
                                        owner="Headteacher", due_date=today + datetime.timedelta(days=21))
                SupportEvent.objects.create(school=visit.school, term=term, kind=SupportEvent.Kind.VISIT_DONE,
                                            user=adviser, text=f"Note of visit recorded for {visit.done_date:%-d %B %Y} "
                                                               "with 2 next steps.")

        # The first question is answered by the school's (demo) headteacher.
        question = Question.objects.filter(term=term).active().order_by("school__name").first()
        if question is not None and not Reply.objects.filter(question__school=question.school).exists():
            head = _user(f"head.{question.school.urn}@{DEMO_DOMAIN}", "Alex", "Head", Role.SCHOOL_LEADER)
            question.school.leaders.add(head)
            Reply.objects.create(
                question=question, author=head,
                explanation="Nine of the 24 pupils joined the school during Year 6, several with little English.",
                action="Small-group reading and maths sessions for pupils who joined late, reviewed each half term.",
            )
            question.status = Question.Status.ANSWERED
            question.save(update_fields=["status"])

        # Peer support: green schools offer help; the first cluster records a review round.
        if not SupportOffer.objects.exists():
            for r in [r for r in ratings if r.priority == "3"][:6]:
                SupportOffer.objects.get_or_create(school=r.school, measure_code="",
                                                   defaults={"note": "Happy to host visits and share plans"})
        cluster = Cluster.objects.order_by("name").first()
        if cluster is not None and not PeerReviewRound.objects.filter(cluster=cluster).exists():
            round_ = PeerReviewRound.objects.create(
                cluster=cluster, term=term, date=max(term.start, today - datetime.timedelta(days=20)),
                notes="Each school reviewed another's reading curriculum with its headteacher. Common theme: "
                      "moderation of writing across schools.",
            )
            round_.schools_reviewed.set(list(cluster.schools.order_by("name")[:4]))
    counts = {
        "plans": SupportPlan.objects.filter(term=term, in_scope=True).count(),
        "visits": Visit.objects.filter(plan__term=term).exclude(status=Visit.Status.CANCELLED).count(),
        "questions": Question.objects.filter(term=term).active().count(),
    }
    _say(stdout, f"demo support: {counts['plans']} plans, {counts['visits']} visits and {counts['questions']} "
                 f"questions this term ({term})")


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def load(stdout=None):
    demo_support(stdout)
