"""Site search as a visitor uses it: /search/?q=..., grouped by kind, public content only.

The same tests run on SQLite (the default pass) and on PostgreSQL (DATABASE_URL=postgres://...),
where search is full text with ranking; test_postgres.py adds what only PostgreSQL does.
"""

import pytest
from django.db import connection

from dashboard.tests import factories as schools_factories
from governance.models import AgendaItem, MinutesStatus
from governance.tests import factories as gov
from search import index
from search.models import SearchDocument

pytestmark = pytest.mark.django_db


def groups(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return {g.kind: [d.title for d in g.results] for g in response.context["groups"]}


@pytest.fixture
def content(make_event):
    ashby = schools_factories.school("Ashby Primary School", town="Northbridge")
    schools_factories.school("Castle Hill Academy", town="Harbourside")
    board = gov.group("Inclusion subgroup", slug="inclusion", remit="Works on attendance and exclusions.")
    held = gov.meeting(board, days=-20, title="Spring meeting", minutes_status=MinutesStatus.PUBLISHED)
    AgendaItem.objects.create(meeting=held, order=1, title="Persistent absence",
                              body="Absence fell after the breakfast club pilot.")
    AgendaItem.objects.create(meeting=held, order=2, title="Secret item", body="Confidential settlement figures",
                              is_exempt=True, exempt_paragraph=3)
    draft = gov.meeting(board, days=-5, title="Summer meeting")
    AgendaItem.objects.create(meeting=draft, order=1, title="Transport review", body="Draft wording about minibuses")
    make_event(title="Workshop: breakfast clubs")
    make_event(title="Unpublished planning day", published=False)
    return {"ashby": ashby, "held": held, "draft": draft}


def test_it_finds_a_school_by_name_and_by_town(client, content):
    assert groups(client, "ashby") == {"schools": ["Ashby Primary School"]}
    assert "Ashby Primary School" in groups(client, "Northbridge")["schools"]


def test_results_are_grouped_by_kind_in_a_fixed_order(client, content):
    found = groups(client, "breakfast")
    assert list(found) == ["meetings", "events"]
    assert found["meetings"] == ["Spring meeting"] and found["events"] == ["Workshop: breakfast clubs"]
    page = client.get("/search/", {"q": "breakfast"}).content.decode()
    assert page.index("Meetings and minutes (1)") < page.index("Events (1)")


def test_public_minutes_are_found_and_exempt_items_and_draft_minutes_are_not(client, content):
    assert groups(client, "breakfast club pilot") == {"meetings": ["Spring meeting"]}
    assert groups(client, "settlement") == {}
    assert groups(client, "Secret item") == {}
    assert groups(client, "minibuses") == {}  # draft minutes: the body is not public yet
    assert groups(client, "Transport review") == {"meetings": ["Summer meeting"]}  # the agenda title is


def test_drafts_of_events_are_never_found(client, content):
    assert groups(client, "unpublished planning") == {}


def test_the_index_follows_saves_and_deletes(client, content):
    draft = content["draft"]
    draft.minutes_status = MinutesStatus.PUBLISHED
    draft.save()
    assert groups(client, "minibuses") == {"meetings": ["Summer meeting"]}
    item = AgendaItem.objects.get(title="Transport review")
    item.is_exempt, item.exempt_paragraph = True, 3
    item.save()
    assert groups(client, "minibuses") == {}
    content["ashby"].delete()
    assert groups(client, "ashby") == {}


def test_a_rebuild_gives_the_same_index(client, content):
    before = sorted(SearchDocument.objects.values_list("kind", "key", "title", "body"))
    index.rebuild()
    assert sorted(SearchDocument.objects.values_list("kind", "key", "title", "body")) == before


def test_one_kind_is_listed_in_full_and_paged(client, db):
    for n in range(25):
        schools_factories.school(f"Oakfield School {n:02d}")
    found = client.get("/search/", {"q": "oakfield"})
    [group] = found.context["groups"]
    assert group.total == 25 and len(group.results) == 5
    assert "All 25 schools" in found.content.decode()
    page = client.get("/search/", {"q": "oakfield", "kind": "schools"}).context["page"]
    assert page.paginator.count == 25 and len(page.object_list) == 20
    second = client.get("/search/", {"q": "oakfield", "kind": "schools", "page": 2}).context["page"]
    assert len(second.object_list) == 5


def test_empty_odd_and_long_queries_are_answered(client, content):
    assert client.get("/search/").status_code == 200
    for q in ("", "   ", "%", "'; drop table", "\"unclosed", "-", "a" * 5000, "ashby OR", "x" * 3 + "\x00"):
        assert client.get("/search/", {"q": q}).status_code == 200, q
    page = client.get("/search/", {"q": "zzzz-nothing"}).content.decode()
    assert "No results for" in page


def test_the_header_has_a_search_box_on_every_page(client, content):
    page = client.get("/").content.decode()
    assert 'role="search"' in page and 'action="/search/"' in page and 'name="q"' in page


def test_the_database_in_use_is_reported(db):
    # Makes the PostgreSQL pass visible in the test log.
    assert connection.vendor in ("sqlite", "postgresql")


def test_a_bulk_written_register_is_caught_up_before_a_search(client, content):
    """Imports write schools in bulk (no signals): the next search indexes what changed since."""
    from django.utils import timezone

    from schools.models import School

    assert groups(client, "ashby") == {"schools": ["Ashby Primary School"]}
    School.objects.filter(pk=content["ashby"].pk).update(name="Ashby Juniper Academy", updated_at=timezone.now())
    schools_factories.School.objects.bulk_create([School(urn=999001, la=content["ashby"].la, name="Juniper Infants",
                                                         updated_at=timezone.now())])
    assert sorted(groups(client, "juniper")["schools"]) == ["Ashby Juniper Academy", "Juniper Infants"]
