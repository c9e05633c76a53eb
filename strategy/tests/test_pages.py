"""The public strategy pages, the home section, the governance tag, admin editing and the demo, as users meet them."""

from io import StringIO

import pytest
from django.template import Context, Template

from schools.models import Benchmark, LocalAuthority, Measure, School
from strategy.models import Goal, ManualPoint, ManualSeries, Objective, Strategy, Target
from strategy.progress import recompute_targets
from tests.world import CANARY_RATING

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    from governance.models import Group

    settings.PARTNERSHIP_LA_CODES = ["899"]
    group = Group.objects.create(name="School Improvement", slug="school-improvement")
    strategy = Strategy.objects.create(
        title="Learning together",
        start_year=2017,
        end_year=2020,
        summary="Our shared plan.",
        easy_read_summary="This is our plan for schools.",
    )
    strategy.publish()
    objective = Objective.objects.create(strategy=strategy, number=5, title="Raise standards", led_by=group)
    Goal.objects.create(objective=objective, number="1", text="Peer review in every cluster", owner=group)
    measure = Measure.objects.get_or_create(
        code="ks2_rwm_exp", defaults={"label": "KS2 RWM", "unit": "percent", "polarity": "higher", "kind": "ks2"}
    )[0]
    for year, la, england in ((2016, 55, 61), (2017, 57, 62), (2018, 60, 64)):
        Benchmark.objects.create(area="la", la_code="899", measure=measure, year=year, value=la)
        Benchmark.objects.create(area="england", measure=measure, year=year, value=england)
    target = Target.objects.create(
        strategy=strategy,
        objective=objective,
        title="KS2 expected standard: gap to England closed by half",
        kind="close_gap",
        source="la",
        measure=measure,
        baseline_year=2016,
        target_year=2019,
        fraction=0.5,
        headline=True,
    )
    la = LocalAuthority.objects.get_or_create(code="899", defaults={"name": "Northbridge"})[0]
    # A named school with a canary rating: no strategy page may ever show it.
    School.objects.create(
        urn=123456, la=la, name="Canary Primary School", governance="academy", ofsted_rating=CANARY_RATING
    )
    recompute_targets()
    return {"strategy": strategy, "objective": objective, "target": target, "group": group, "measure": measure}


def test_anonymous_reads_the_strategy_and_its_scorecard(client, world):
    page = client.get("/strategy/").content.decode()
    assert "Learning together" in page and "This is our plan for schools." in page
    assert '<a class="govuk-link" href="/governance/school-improvement/">School Improvement</a>' in page
    # Baseline gap 6 (55 vs 61), target gap 3 by 2019/20, latest gap 4 (60 vs 64), line for 2018/19 is 4.
    assert "6.0 percentage points worse than England (55.0% against 61.0%) in 2016/17" in page
    assert "no more than 3.0 percentage points worse" in page
    assert "4.0 percentage points worse than England (60.0% against 64.0%)" in page
    assert '<strong class="govuk-tag govuk-tag--turquoise">On track</strong>' in page


def test_anonymous_reads_a_targets_chart_and_its_table(client, world):
    response = client.get("/strategy/objectives/5/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="pep-chart-data"' in page and "plotly-basic.min.js" in page
    assert "Figures for: KS2 expected standard: gap to England closed by half" in page
    assert "Peer review in every cluster" in page
    # The 2017/18 row: 57% against 62%, 5 points behind; the line asks for a gap of 5 (57%).
    assert "5.0 percentage points worse than England" in page
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_it_never_shows_a_named_school_on_strategy_pages(client, world):
    for url in ("/strategy/", "/strategy/objectives/5/", "/strategy/past/", "/"):
        page = client.get(url).content.decode()
        assert CANARY_RATING not in page and "Canary Primary School" not in page, url


def test_it_keeps_past_strategies_browsable_and_drafts_hidden(client, client_for, world):
    old = world["strategy"]
    newer = Strategy.objects.create(title="Next strategy", start_year=2021, end_year=2024)
    assert client.get(f"/strategy/{newer.pk}/").status_code == 404
    assert client_for("officer").get(f"/strategy/{newer.pk}/").status_code == 404
    assert client_for("admin").get(f"/strategy/{newer.pk}/").status_code == 200
    newer.publish()
    assert "Next strategy" in client.get("/strategy/").content.decode()
    past_list = client.get("/strategy/past/").content.decode()
    assert f'href="/strategy/{old.pk}/"' in past_list
    past_page = client.get(f"/strategy/{old.pk}/").content.decode()
    assert "This is a past strategy" in past_page and "Learning together" in past_page
    assert client.get(f"/strategy/{old.pk}/objectives/5/").status_code == 200


def test_it_says_so_when_no_strategy_is_published(client, db):
    response = client.get("/strategy/")
    assert response.status_code == 200
    assert "has not published a strategy yet" in response.content.decode()
    assert client.get("/strategy/objectives/1/").status_code == 404


def test_the_home_page_shows_the_headline_targets(client, world):
    page = client.get("/").content.decode()
    assert "Our strategy: headline targets" in page
    assert "KS2 expected standard: gap to England closed by half" in page
    assert "On track" in page


def test_the_governance_tag_lists_the_objectives_a_group_leads(world):
    html = Template("{% load strategy_tags %}{% led_objectives group %}").render(Context({"group": world["group"]}))
    assert 'href="/strategy/objectives/5/"' in html and "Objective 5: Raise standards" in html
    from governance.models import Group

    other = Group.objects.create(name="Early Years", slug="early-years")
    html = Template("{% load strategy_tags %}{% led_objectives group %}").render(Context({"group": other}))
    assert "does not lead an objective" in html


def test_an_admin_adds_a_target_and_sees_it_computed(client_for, world):
    series = ManualSeries.objects.create(name="Teacher trainees", unit="count")
    for year, value in ((2016, 120), (2018, 140)):
        ManualPoint.objects.create(series=series, year=year, value=value, source="ITT census")
    admin = client_for("admin")
    form = {
        "strategy": world["strategy"].pk,
        "objective": world["objective"].pk,
        "order": 2,
        "title": "Teacher trainees up 15%",
        "kind": "change_percent",
        "source": "manual",
        "measure": "",
        "phase": "",
        "manual_series": series.pk,
        "comparator": "england",
        "polarity": "higher",
        "baseline_year": 2016,
        "target_year": 2019,
        "target_value": "",
        "fraction": "",
        "percent": 15,
    }
    response = admin.post("/admin/strategy/target/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    target = Target.objects.get(title="Teacher trainees up 15%")
    # 120 x 1.15 = 138 by 2019/20; 140 in 2018/19 reaches it.
    assert target.result.status == "met" and target.result.target_value == pytest.approx(138)
    page = admin.get(f"/admin/strategy/target/{target.pk}/change/").content.decode()
    assert "+15% by 2019/20 (to 138)" in page and "Met" in page


def test_the_admin_refuses_a_target_it_cannot_compute(client_for, world):
    form = {
        "strategy": world["strategy"].pk,
        "order": 1,
        "title": "Half the gap",
        "kind": "close_gap",
        "source": "manual",
        "phase": "",
        "comparator": "england",
        "polarity": "higher",
        "target_year": 2019,
    }
    response = client_for("admin").post("/admin/strategy/target/add/", form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Comparisons with England or neighbours use the local authority figures." in page
    assert "Enter the fraction of the gap to close" in page
    assert not Target.objects.filter(title="Half the gap").exists()


def test_the_publish_action_makes_one_strategy_current(client_for, world):
    newer = Strategy.objects.create(title="Next strategy", start_year=2021, end_year=2024)
    response = client_for("admin").post(
        "/admin/strategy/strategy/", {"action": "publish", "_selected_action": [newer.pk]}
    )
    assert response.status_code == 302
    assert Strategy.objects.current() == newer
    assert list(Strategy.objects.past()) == [world["strategy"]]


def test_the_demo_builds_a_strategy_in_the_seed_shape_and_is_idempotent(db):
    from strategy import demo

    demo.load(StringIO())
    counts = (Strategy.objects.count(), Objective.objects.count(), Goal.objects.count(), Target.objects.count())
    demo.load(StringIO())
    assert (Strategy.objects.count(), Objective.objects.count(), Goal.objects.count(), Target.objects.count()) == counts
    current = Strategy.objects.current()
    assert current.objectives.count() == 10 and current.vision_statements.count() == 3
    assert current.values.count() == 6 and current.easy_read_summary
    kinds = set(current.targets.values_list("kind", flat=True))
    assert kinds == {"reach", "at_or_better", "close_gap", "change_percent"}
    assert Strategy.objects.past().count() == 1
    assert all(hasattr(t, "result") for t in Target.objects.all())


def test_the_pages_query_count_does_not_grow_with_targets(client, world):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        cache.clear()  # compare uncached pages: the home page caches its register figures
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = (count("/strategy/"), count("/strategy/objectives/5/"), count("/"))
    for i in range(5):
        target = Target.objects.create(
            strategy=world["strategy"],
            objective=world["objective"],
            title=f"Extra {i}",
            kind="reach",
            source="la",
            measure=world["measure"],
            target_year=2019,
            target_value=70,
        )
        Goal.objects.create(objective=world["objective"], number=str(i + 2), text=f"Goal {i}")
        Objective.objects.create(strategy=world["strategy"], number=10 + i, title=f"Objective {i}")
        target.save()
    recompute_targets()
    assert (count("/strategy/"), count("/strategy/objectives/5/"), count("/")) == before


def test_the_admin_pages_for_strategy_content_open_for_a_partnership_admin(client_for, world):
    admin = client_for("admin")
    strategy, objective, target = world["strategy"], world["objective"], world["target"]
    for url in (
        "/admin/strategy/strategy/",
        f"/admin/strategy/strategy/{strategy.pk}/change/",
        "/admin/strategy/strategy/add/",
        "/admin/strategy/objective/",
        f"/admin/strategy/objective/{objective.pk}/change/",
        "/admin/strategy/target/",
        f"/admin/strategy/target/{target.pk}/change/",
        "/admin/strategy/target/add/",
        "/admin/strategy/manualseries/add/",
        "/admin/strategy/goodorbetterrecord/",
    ):
        assert admin.get(url).status_code == 200, url
    page = admin.get(f"/admin/strategy/target/{target.pk}/change/").content.decode()
    assert "Computed progress" in page and "4.0 percentage points worse than England" in page
    assert client_for("officer").get("/admin/strategy/target/").status_code == 404  # not staff


def test_the_governance_tag_costs_the_same_queries_for_many_groups(world, rf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from governance.models import Group

    groups = [world["group"]] + [Group.objects.create(name=f"G{i}", slug=f"g-{i}") for i in range(5)]
    request = rf.get("/governance/")
    tpl = Template("{% load strategy_tags %}{% for g in groups %}{% led_objectives g %}{% endfor %}")
    with CaptureQueriesContext(connection) as queries:
        html = tpl.render(Context({"groups": groups, "request": request}))
    assert len(queries) == 2
    assert html.count("does not lead an objective") == 5 and "Objective 5: Raise standards" in html
