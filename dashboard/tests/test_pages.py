"""The dashboard pages as users meet them: officers, leaders, admins; exports; the canary; query counts."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import PERSONAS
from dashboard import runs
from dashboard.models import DashboardAccess, PriorityOverride, RatingRun, RuleSet, SchoolRating
from schools.models import School, Value
from tests.world import CANARY_RATING, all_routes, build_world

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def text(response):
    return response.content.decode()


# ---- the canary ----------------------------------------------------------------------------------

def test_no_public_page_feed_or_export_shows_a_rating(world, client_for):
    public = [r for r in all_routes() if r.expect.get("anonymous") == 200]
    assert len(public) > 5
    assert SchoolRating.objects.filter(reasons__contains=CANARY_RATING).exists()
    for persona in ("anonymous", "officer"):
        client = client_for(persona)
        for route in public:
            url = route.url(world)
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert CANARY_RATING.encode() not in body, f"{url} shows a confidential rating to {persona}"


def test_the_canary_is_where_it_should_be(world, client_for):
    # The sweep above is only worth something if the canary does show on the private pages.
    response = client_for("officer").get(f"/dashboard/schools/{world.school_a.urn}/")
    assert CANARY_RATING in text(response)
    assert CANARY_RATING in text(client_for("school_leader").get(f"/dashboard/schools/{world.school_a.urn}/"))


def test_an_error_page_never_shows_a_rating(world, client_for):
    for persona in PERSONAS:
        response = client_for(persona).get(f"/dashboard/schools/{world.school_b.urn}/?x={CANARY_RATING}")
        if response.status_code == 404:
            assert CANARY_RATING not in text(response)


# ---- overview ------------------------------------------------------------------------------------

def test_an_officer_sees_priorities_the_heat_map_and_the_last_run(world, client_for):
    response = client_for("officer").get("/dashboard/")
    page = text(response)
    assert response.status_code == 200
    assert "Schools by priority" in page
    assert '<strong class="pep-band pep-band--red">Red</strong>' in page  # written, not only coloured
    assert "Alder Street Primary Academy" in page and "Birch Lane Community School" in page
    assert "the nightly refresh" in page
    assert "Best fit: Priority 2" in page
    assert 'class="pep-chart"' in page and "plotly" in page


def test_a_school_leader_lands_on_their_school_and_sees_nothing_else(world, client_for):
    leader = client_for("school_leader")
    response = leader.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == f"/dashboard/schools/{world.school_a.urn}/"
    page = text(leader.get(response["Location"]))
    assert "Alder Street Primary Academy" in page and "Priority 1" in page
    assert "Set a best-fit priority" not in page
    assert leader.get(f"/dashboard/schools/{world.school_b.urn}/").status_code == 404
    assert leader.get("/dashboard/schools/").status_code == 404
    assert leader.post(f"/dashboard/schools/{world.school_a.urn}/",
                       {"priority": "3", "reason": "I would like priority 3 please"}).status_code == 404
    assert not PriorityOverride.objects.filter(priority="3").exists()


def test_a_trust_leader_with_several_schools_gets_a_list(world, client_for):
    from schools.models import TrustLink

    other = f.school("Cedar Trust Primary")
    TrustLink.objects.create(trust=world.trust_a, school=other)
    page = text(client_for("trust_leader").get("/dashboard/"))
    assert "Your schools" in page and "Cedar Trust Primary" in page and "Alder Street Primary Academy" in page
    assert "Birch Lane" not in page


# ---- school dashboard ----------------------------------------------------------------------------

def test_the_school_dashboard_explains_the_rating_and_logs_who_opened_it(world, client_for, personas):
    response = client_for("officer").get(f"/dashboard/schools/{world.school_a.urn}/")
    page = text(response)
    assert "P1: 3 red core measures: KS2 RWM 48% vs 65% national" in page
    assert "KS2 reading progress" in page and "Priority history" in page
    assert "2017/18" in page and "2018/19" in page  # the measure table over years
    assert DashboardAccess.objects.filter(user=personas.officer, school=world.school_a).count() == 2


def test_an_officer_sets_and_removes_a_best_fit_priority(world, client_for, personas):
    url = f"/dashboard/schools/{world.school_b.urn}/"
    officer = client_for("officer")
    bad = officer.post(url, {"action": "set", "priority": "", "reason": ""})
    assert bad.status_code == 200
    assert "There is a problem" in text(bad) and "Choose a best-fit priority" in text(bad)
    response = officer.post(url, {"action": "set", "priority": "3", "reason": "Strong new leadership since May."})
    assert response.status_code == 302
    override = PriorityOverride.objects.active().get(school=world.school_b)
    assert (override.priority, override.set_by, override.computed_priority) == ("3", personas.officer, "2")
    page = text(officer.get(url))
    assert "Strong new leadership since May." in page and "Best-fit priority" in page
    assert "Best fit" in text(officer.get("/dashboard/schools/?overridden=yes"))
    officer.post(url, {"action": "clear"})
    assert not PriorityOverride.objects.active().filter(school=world.school_b).exists()
    assert PriorityOverride.objects.filter(school=world.school_b).count() == 1  # kept for the audit


# ---- school list and exports ---------------------------------------------------------------------

def test_the_school_list_filters_and_sorts(world, client_for):
    officer = client_for("officer")
    page = text(officer.get("/dashboard/schools/?priority=1"))
    assert "Alder Street Primary Academy" in page and "Birch Lane" not in page
    page = text(officer.get("/dashboard/schools/?priority=2"))
    assert "Alder Street Primary Academy" not in page and "Birch Lane" in page
    page = text(officer.get("/dashboard/schools/?red_on=ks2_rwm_exp"))
    assert "Alder Street Primary Academy" in page and "Birch Lane" not in page
    page = text(officer.get("/dashboard/schools/?phase=secondary"))
    assert "Birch Lane" in page and "Alder Street" not in page
    page = text(officer.get("/dashboard/schools/?overridden=yes"))
    assert "Alder Street" in page and "Birch Lane" not in page
    page = text(officer.get("/dashboard/schools/?changed=yes"))
    assert "No schools match these filters." in page
    page = text(officer.get("/dashboard/schools/?sort=-school"))
    assert page.index("Birch Lane") < page.index("Alder Street")
    assert officer.get("/dashboard/schools/?priority=banana").status_code == 200


def test_exports_escape_formulas_and_keep_negative_numbers(world, client_for):
    School.objects.filter(pk=world.school_b.pk).update(name="=HYPERLINK(\"http://evil\")")
    runs.run_ratings()
    response = client_for("officer").get("/dashboard/schools/?_export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["URN", "name", "priority"] and "ks2_rwm_exp" in header and "abs_overall" in header
    by_urn = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    b = by_urn[str(world.school_b.urn)]
    assert b["name"] == "'=HYPERLINK(\"http://evil\")"
    assert b["ks4_p8"] == "Red" and b["ks4_p8_value"] == "-0.7"
    assert by_urn[str(world.school_a.urn)]["ks2_read_prog_value"] == "-2.5"
    # Each value's year is beside it (each kind of file is rated on its own latest year).
    year = RatingRun.objects.latest("pk").year
    assert b["ks4_p8_year"] == f"{year}/{(year + 1) % 100:02d}"

    from openpyxl import load_workbook

    response = client_for("officer").get("/dashboard/schools/?_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    b = next(dict(zip(header, r, strict=True)) for r in rows[1:] if r[0] == world.school_b.urn)
    assert b["name"] == "'=HYPERLINK(\"http://evil\")"
    assert b["ks4_p8_value"] == -0.7 and isinstance(b["ks4_p8_value"], float)
    assert b["priority"] == 2
    assert not any(isinstance(c.value, str) and c.data_type == "f" for row in sheet.iter_rows() for c in row)


# ---- rule sets -----------------------------------------------------------------------------------

def test_an_admin_copies_edits_previews_and_makes_a_rule_set_live(world, client_for):
    admin = client_for("admin")
    live = RuleSet.objects.live().get()
    response = admin.post(f"/dashboard/rules/{live.pk}/copy/", {"year": "2018"})
    draft = RuleSet.objects.filter(year=2018, status="draft", copied_from=live).order_by("-version").first()
    assert response.status_code == 302 and response["Location"] == f"/dashboard/rules/{draft.pk}/"
    form = {k: v for k, v in _form_data(draft).items()}
    form["ks2_rwm_exp__amber_width"] = "20"  # school A's 48% vs 65% becomes amber
    form["ks4_p8__amber_width"] = "1"
    form["ks4_att8__amber_width"] = "4"
    form["ks4_basics_95__amber_width"] = "10"
    response = admin.post(f"/dashboard/rules/{draft.pk}/", form)
    assert response.status_code == 302, text(response)
    preview = text(admin.get(f"/dashboard/rules/{draft.pk}/preview/"))
    assert "1 school would change priority" in preview and "Alder Street Primary Academy" in preview
    response = admin.post(f"/dashboard/rules/{draft.pk}/preview/")
    draft.refresh_from_db()
    assert draft.status == "live" and live.status == "live"
    live.refresh_from_db()
    assert live.status == "live"  # a different year: 2016/17 stays live for its years
    rating = SchoolRating.objects.current().get(school=world.school_a)
    assert rating.priority == "2" and rating.run.rule_set == draft


def test_a_live_rule_set_cannot_be_edited_through_the_page(world, client_for):
    live = RuleSet.objects.live().get()
    before = dict(live.rules)
    response = client_for("admin").post(f"/dashboard/rules/{live.pk}/", {**_form_data(live), "p1_red": "1"})
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.rules == before


def test_bad_rule_set_input_is_shown_with_an_error_summary(world, client_for):
    draft = world.draft_rule_set
    data = {**_form_data(draft), "ks2_read_prog__comparator": "fixed", "ks2_read_prog__fixed_value": "",
            "p1_red": "0", "neighbours": "12, abc", "ks2_rwm_exp__amber_width": "-3"}
    response = client_for("admin").post(f"/dashboard/rules/{draft.pk}/", data)
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter the fixed value" in page and "three digits" in page
    draft.refresh_from_db()
    assert draft.rules == RuleSet.objects.live().get().rules


def _form_data(rule_set):
    from dashboard.forms import initial_from

    return {k: "" if v is None else str(v) for k, v in initial_from(rule_set).items()}


# ---- query counts do not grow with the number of schools -----------------------------------------

def populate(n):
    ms = f.measures()
    la = f.partnership_la()
    start = School.objects.count()
    School.objects.bulk_create([
        School(urn=800000 + start + i, la=la, name=f"Generated School {start + i:04d}", phase="primary",
               phase_name="Primary", governance="academy", ofsted_rating="Good")
        for i in range(n)
    ])
    ids = School.objects.filter(name__startswith="Generated").values_list("id", flat=True)
    Value.objects.bulk_create([
        Value(school_id=sid, measure=ms[code], year=2018, value=v, cohort=30)
        for sid in ids
        for code, v in (("ks2_rwm_exp", 40 + sid % 40), ("ks2_read_prog", -3 + sid % 6), ("abs_overall", 4.5))
    ], ignore_conflicts=True)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


PAGES = ["/dashboard/", "/dashboard/schools/", "/dashboard/schools/?red_on=ks2_rwm_exp&sort=priority",
         "/dashboard/schools/{urn}/", "/dashboard/rules/", "/dashboard/rules/{rule}/",
         "/dashboard/rules/{draft}/preview/"]


def test_query_counts_per_page_do_not_grow_with_the_number_of_schools(world, client_for):
    officer, admin = client_for("officer"), client_for("admin")
    counts = {}
    for n in (50, 450):  # 50 + the world's schools, then 500 in all
        populate(n)
        runs.run_ratings()
        runs.run_ratings()  # a previous run, so changes and history are on the pages
        for page in PAGES:
            url = page.format(urn=world.school_a.urn, rule=world.rule_set.pk, draft=world.draft_rule_set.pk)
            client = admin if "/rules/" in url else officer
            counts.setdefault(page, []).append(count_queries(client, url))
    assert School.objects.count() >= 500
    for page, (small, large) in counts.items():
        assert large <= small, f"{page}: {small} queries with ~50 schools, {large} with ~500"
    print("query counts:", {page: c[1] for page, c in counts.items()})


def test_admins_read_who_opened_a_dashboard_in_the_django_admin(world, client_for, personas):
    client_for("school_leader").get(f"/dashboard/schools/{world.school_a.urn}/")
    page = text(client_for("admin").get("/admin/dashboard/dashboardaccess/"))
    assert "school.leader@example.org" in page and world.school_a.name in page
    assert client_for("officer").get("/admin/dashboard/dashboardaccess/").status_code == 404  # not staff
    # The log is read-only, even for admins.
    access = DashboardAccess.objects.first()
    assert client_for("admin").post(f"/admin/dashboard/dashboardaccess/{access.pk}/delete/",
                                     {"post": "yes"}).status_code == 403
    assert DashboardAccess.objects.filter(pk=access.pk).exists()


def test_the_report_card_is_shown_as_a_table_of_areas_and_banded_by_its_own_rule(world, client_for):
    import datetime

    from schools.models import ReportCard

    ReportCard.objects.create(school=world.school_a, inspected_on=datetime.date(2026, 1, 13), areas=[
        ["Safeguarding standards", "Met", "2026-01-13"], ["Inclusion", "Needs attention", "2026-01-13"],
        ["Achievement", "Strong standard", "2026-01-14"]])
    runs.run_ratings()
    rating = SchoolRating.objects.current().get(school=world.school_a)
    assert (rating.ofsted_outcome, rating.ofsted_band) == ("Report card", "amber")
    assert "Ofsted report card (2025/26): Inclusion Needs attention" in rating.reasons
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(client_for("officer").get(
        f"/dashboard/schools/{world.school_a.urn}/"))))
    assert "Ofsted report card" in page and "Inclusion Needs attention 13 Jan 2026" in page
    assert "Achievement Strong standard 14 Jan 2026" in page
