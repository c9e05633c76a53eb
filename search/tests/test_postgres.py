"""What only PostgreSQL does: full-text search with stemming, web-search syntax and ranking on the
GIN-indexed vectors. Run on the PostgreSQL pass (services); on SQLite they are deselected."""

import pytest
from django.db import connection

from dashboard.tests import factories as schools_factories
from governance.tests import factories as gov
from search.models import SearchDocument

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL=postgres://... (the PostgreSQL pass)")


def titles(client, q):
    return {g.kind: [d.title for d in g.results] for g in client.get("/search/", {"q": q}).context["groups"]}


def test_words_are_stemmed_and_a_title_ranks_above_a_body(client):
    gov.group("Attendance network", slug="attendance", remit="Schools sharing practice.")
    gov.group("Curriculum subgroup", slug="curriculum", remit="Also discusses attendance, now and then.")
    assert titles(client, "attending") == {"groups": ["Attendance network", "Curriculum subgroup"]}


def test_web_search_syntax_phrases_or_and_minus(client):
    schools_factories.school("Ashby Primary School")
    schools_factories.school("Ashby Hill Academy")
    schools_factories.school("Castle Primary School")
    assert titles(client, '"ashby primary"') == {"schools": ["Ashby Primary School"]}
    assert sorted(titles(client, "ashby -academy")["schools"]) == ["Ashby Primary School"]
    assert sorted(titles(client, "castle or hill")["schools"]) == ["Ashby Hill Academy", "Castle Primary School"]


def test_the_vectors_are_gin_indexed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [SearchDocument._meta.db_table])
        assert any("USING gin (vector)" in row[0] for row in cursor.fetchall())
