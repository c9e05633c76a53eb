"""Dashboard objects for the shared world, and every dashboard URL with the status each persona gets.

setup(world) rates world.school_a and world.school_b (made by the schools app's setup; created here if
that has not run) and plants tests.world.CANARY_RATING in school A's reasons and best-fit priority:
no public page, feed or export may ever show it.
"""

import datetime

from tests.world import CANARY_RATING, Route

PERSONAS = ("anonymous", "school_leader", "trust_leader", "chair", "officer", "admin")
OFFICERS = {"anonymous": "login", "school_leader": 404, "trust_leader": 404, "chair": 404, "officer": 200,
            "admin": 200}
ADMINS = {**OFFICERS, "officer": 404}
OWN_SCHOOL = {**OFFICERS, "school_leader": 200, "trust_leader": 200}


def setup(world):
    from dashboard.models import DashboardAccess, PriorityOverride, RuleSet, SchoolRating
    from dashboard.runs import run_ratings
    from dashboard.tests import factories as f
    from schools.models import Phase, Trust, TrustLink

    personas = world.personas
    if getattr(world, "school_a", None) is None:
        world.school_a = f.school("Alder Street Primary Academy", urn=900001, ofsted="Good")
        world.school_a.leaders.add(personas.school_leader)
    if getattr(world, "school_b", None) is None:
        world.school_b = f.school("Birch Lane Community School", phase=Phase.SECONDARY, urn=900002,
                                  ofsted="Requires improvement")
    if getattr(world, "trust_a", None) is None:
        world.trust_a = Trust.objects.create(uid=990001, name="Northbridge Learning Trust", type=Trust.Type.MAT)
        TrustLink.objects.create(trust=world.trust_a, school=world.school_a, joined_on=datetime.date(2016, 9, 1))
        world.trust_a.leaders.add(personas.trust_leader)

    f.standard_benchmarks()
    f.values(world.school_a, 2018, ks2_rwm_exp=48.0, ks2_read_prog=-2.5, ks2_writ_prog=-3.0, ks2_mat_prog=0.5,
             abs_overall=4.1, abs_persistent=8.0)
    f.values(world.school_a, 2017, ks2_rwm_exp=60.0, ks2_read_prog=-1.0, ks2_writ_prog="SUPP", ks2_mat_prog=0.2)
    f.values(world.school_b, 2018, ks4_att8=41.0, ks4_p8=-0.7, ks4_basics_95=40.0, abs_overall=6.0,
             abs_persistent=15.0)
    world.rating_run = run_ratings(triggered_by="nightly")

    # The canary: confidential text that must never appear on a public page, feed or export.
    rating = SchoolRating.objects.get(run=world.rating_run, school=world.school_a)
    rating.reasons = f"{rating.reasons}; {CANARY_RATING}"
    rating.save(update_fields=["reasons"])
    PriorityOverride.objects.create(school=world.school_a, priority="2", computed_priority=rating.priority,
                                    reason=f"Best fit after a visit ({CANARY_RATING})", set_by=personas.officer,
                                    run=world.rating_run)
    DashboardAccess.objects.create(user=personas.officer, school=world.school_a, path="/dashboard/")
    live = RuleSet.objects.live().first()
    world.rule_set = live
    world.draft_rule_set = live.copy(year=2018, user=personas.admin)


ROUTES = [
    Route("dashboard:overview", expect={**OFFICERS, "school_leader": 302, "trust_leader": 302}, a11y="officer"),
    Route("dashboard:school_list", expect=OFFICERS, a11y="officer"),
    Route("dashboard:school_list", expect=OFFICERS, a11y="officer",
          query="?priority=1&red_on=ks2_rwm_exp&changed=yes&overridden=yes&phase=primary"),
    Route("dashboard:school_list", expect=OFFICERS, query="?_export=csv"),
    Route("dashboard:school_list", expect=OFFICERS, query="?_export=xlsx"),
    Route("dashboard:school_detail", lambda w: {"urn": w.school_a.urn}, OWN_SCHOOL, a11y="officer"),
    Route("dashboard:school_detail", lambda w: {"urn": w.school_a.urn}, OWN_SCHOOL, a11y="school_leader",
          query="?view=leader"),
    Route("dashboard:school_detail", lambda w: {"urn": w.school_b.urn}, OFFICERS, a11y="admin"),
    Route("dashboard:school_detail", lambda w: {"urn": 999999}, {**OFFICERS, "officer": 404, "admin": 404}),
    Route("dashboard:rules", expect=ADMINS, a11y="admin"),
    Route("dashboard:rule_set", lambda w: {"pk": w.rule_set.pk}, ADMINS, a11y="admin"),
    Route("dashboard:rule_set", lambda w: {"pk": w.draft_rule_set.pk}, ADMINS, a11y="admin", query="?draft"),
    Route("dashboard:rule_set_copy", lambda w: {"pk": w.rule_set.pk}, ADMINS, a11y="admin"),
    Route("dashboard:rule_set_preview", lambda w: {"pk": w.draft_rule_set.pk}, ADMINS, a11y="admin"),
]
