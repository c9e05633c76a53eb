"""Strategy pages in the permission matrix: all public, except a draft strategy (admins only, 404 for others)."""

from tests.world import Route

PERSONAS = ("anonymous", "school_leader", "trust_leader", "chair", "officer", "admin")
PUBLIC = {p: 200 for p in PERSONAS}
ADMIN_ONLY = {**{p: 404 for p in PERSONAS}, "admin": 200}
REDIRECT = {p: 302 for p in PERSONAS}


def setup(world):
    from schools.models import Measure
    from strategy.models import Goal, ManualPoint, ManualSeries, Objective, Strategy, Target
    from strategy.progress import recompute_targets

    group = getattr(world, "subgroup_x", None)
    past = Strategy.objects.create(title="Earlier strategy", start_year=2013, end_year=2016)
    past.publish()
    current = Strategy.objects.create(
        title="Partnership strategy",
        start_year=2017,
        end_year=2020,
        summary="What we will do together.",
        easy_read_summary="Our plan for schools.",
    )
    current.publish()
    draft = Strategy.objects.create(title="Next strategy (draft)", start_year=2021, end_year=2024)
    for strategy in (past, current, draft):
        objective = Objective.objects.create(strategy=strategy, number=1, title="Raise standards", led_by=group)
        Goal.objects.create(objective=objective, number="1", text="Peer review in clusters", owner=group)
    series = ManualSeries.objects.create(name="Matrix trainees", unit="count")
    for year, value in ((2016, 100), (2017, 110)):
        ManualPoint.objects.create(series=series, year=year, value=value, source="Census")
    measure = Measure.objects.get_or_create(
        code="ks2_rwm_exp", defaults={"label": "KS2 RWM", "unit": "percent", "polarity": "higher", "kind": "ks2"}
    )[0]
    objective = current.objectives.get()
    Target.objects.create(
        strategy=current,
        objective=objective,
        title="Trainees up 15%",
        kind="change_percent",
        source="manual",
        manual_series=series,
        baseline_year=2016,
        target_year=2019,
        percent=15,
        headline=True,
    )
    Target.objects.create(
        strategy=current,
        objective=objective,
        title="KS2 gap halved",
        kind="close_gap",
        source="la",
        measure=measure,
        baseline_year=2016,
        target_year=2019,
        fraction=0.5,
    )
    recompute_targets()
    world.strategy_current, world.strategy_past, world.strategy_draft = current, past, draft


ROUTES = [
    Route("strategy:overview", expect=PUBLIC, a11y="anonymous"),
    Route("strategy:past", expect=PUBLIC, a11y="anonymous"),
    Route("strategy:objective", lambda w: {"number": 1}, PUBLIC, a11y="anonymous"),
    Route("strategy:objective", lambda w: {"number": 99}, {p: 404 for p in PERSONAS}),
    Route("strategy:detail", lambda w: {"pk": w.strategy_past.pk}, PUBLIC, a11y="anonymous"),
    Route("strategy:detail", lambda w: {"pk": w.strategy_current.pk}, REDIRECT),
    Route("strategy:detail", lambda w: {"pk": w.strategy_draft.pk}, ADMIN_ONLY, a11y="admin"),
    Route("strategy:past_objective", lambda w: {"pk": w.strategy_past.pk, "number": 1}, PUBLIC, a11y="anonymous"),
    Route("strategy:past_objective", lambda w: {"pk": w.strategy_draft.pk, "number": 1}, ADMIN_ONLY, a11y="admin"),
]
