"""Support moving out of the dashboard app keeps every row: a database holding support records made
before the move reads the same rows through support.models after migrating forward, and groups keep
the support permissions they held."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dashboard.tests import factories as f
from schools.models import Cluster

BEFORE_THE_MOVE = [("dashboard", "0008_access_log_exports_and_support"), ("support", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    if targets:
        return executor.loader.project_state([t for t in targets if t[1]]).apps


def old_rows(old, school, cluster):
    """Support records as the dashboard app kept them, written through its historical models."""
    def model(name):
        return old.get_model("dashboard", name)

    term = model("Term").objects.create(academic_year=2025, name="autumn", start=datetime.date(2025, 9, 1),
                                        end=datetime.date(2025, 12, 31))
    plan = model("SupportPlan").objects.create(school_id=school.pk, term=term, priority="1", notes="Kept")
    visit = model("Visit").objects.create(plan=plan, school_id=school.pk, planned_date=datetime.date(2025, 10, 6),
                                          status="done", focus=["ks2_rwm_exp"], findings="Reading first")
    model("NextStep").objects.create(visit=visit, action="Phonics audit", owner="Head", due_date=visit.planned_date)
    question = model("Question").objects.create(school_id=school.pk, term=term, plan=plan, text="Why?",
                                                measures=[{"code": "ks2_rwm_exp", "label": "RWM"}])
    model("Reply").objects.create(question=question, explanation="A small cohort")
    model("SupportEvent").objects.create(school_id=school.pk, term=term, kind="plan", text="Plan made")
    model("SupportOffer").objects.create(school_id=school.pk, measure_code="abs_overall", note="Attendance")
    model("SupportExclusion").objects.create(category="academy", reason="Their trusts support them")
    model("SupportSettings").objects.create(pk=1, p1_visits_per_term=3)
    review = model("PeerReviewRound").objects.create(cluster_id=cluster.pk, term=term, date=datetime.date(2025, 11, 3))
    review.schools_reviewed.add(school.pk)
    return {"term": term.pk, "plan": plan.pk, "visit": visit.pk, "question": question.pk, "review": review.pk}


@pytest.mark.django_db(transaction=True)
def test_support_rows_made_before_the_move_are_read_through_the_support_app():
    school = f.school("Moved Lane Primary")
    cluster = Cluster.objects.create(name="Moved cluster")
    group = Group.objects.create(name="Support readers")
    group.permissions.add(Permission.objects.get(content_type__app_label="support", codename="view_visit"))

    old = migrate(BEFORE_THE_MOVE)
    assert ContentType.objects.get_for_id(group.permissions.get().content_type_id).app_label == "dashboard"
    ids = old_rows(old, school, cluster)
    migrate(None)

    from support.models import (
        NextStep,
        PeerReviewRound,
        Question,
        SupportEvent,
        SupportExclusion,
        SupportOffer,
        SupportPlan,
        SupportSettings,
        Term,
        Visit,
    )

    plan = SupportPlan.objects.get(pk=ids["plan"])
    assert (plan.school, plan.term.pk, plan.priority, plan.notes) == (school, ids["term"], "1", "Kept")
    assert str(Term.objects.get(pk=ids["term"])) == "Autumn term 2025/26"
    visit = Visit.objects.get(pk=ids["visit"])
    assert (visit.plan, visit.focus, visit.findings) == (plan, ["ks2_rwm_exp"], "Reading first")
    assert list(NextStep.objects.filter(visit=visit).values_list("action", flat=True)) == ["Phonics audit"]
    question = Question.objects.get(pk=ids["question"])
    assert question.codes == ["ks2_rwm_exp"] and question.replies.get().explanation == "A small cohort"
    assert SupportEvent.objects.get(school=school).text == "Plan made"
    assert SupportOffer.objects.get(school=school).measure_code == "abs_overall"
    assert SupportExclusion.objects.get().what == "All academy schools"
    assert SupportSettings.get().p1_visits_per_term == 3
    assert list(PeerReviewRound.objects.get(pk=ids["review"]).schools_reviewed.all()) == [school]
    # The group's permission followed its content type to the support app.
    permission = group.permissions.get()
    assert (permission.content_type.app_label, permission.content_type.model_class()) == ("support", Visit)
