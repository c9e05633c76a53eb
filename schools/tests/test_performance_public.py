"""The public school page shows the school's published figures beside its LA and England; nothing rated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schools.models import Benchmark, School
from schools.performance_public import figures
from schools.tests.perf_support import import_path, load_surrey_register, perf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def surrey(settings):
    settings.PARTNERSHIP_LA_CODES = ["936"]
    load_surrey_register()
    for name in ("dfe_ptables_2016-17_936_surrey_ks2final.csv", "dfe_ptables_2017-18_936_surrey_ks2final.csv",
                 "dfe_ptables_2018-19_936_surrey_ks2final.csv", "dfe_ptables_2018-19_936_surrey_ks4final.csv"):
        import_path(perf_file(name))


def test_it_shows_published_figures_beside_la_and_england(client, surrey):
    page = client.get("/schools/145543/").content.decode()
    assert "Published figures" in page
    assert "Key stage 2 results" in page
    assert "KS2 reading, writing and maths at the expected standard" in page
    row = page.split("KS2 reading, writing and maths at the expected standard</th>")[1].split("</tr>")[0]
    assert "2018/19" in row and "78%" in row and "70%" in row and "65%" in row  # school, Surrey, England
    assert "Surrey" in page


def test_it_shows_suppressed_figures_in_words_not_zero(client, surrey):
    page = client.get("/schools/138766/").content.decode()  # Wishmore Cross Academy, 3 pupils in 2018/19
    row = page.split("KS2 reading, writing and maths at the expected standard</th>")[1].split("</tr>")[0]
    assert "Suppressed (small cohort)" in row


def test_it_never_shows_bands_ratings_or_priorities(client, surrey):
    page = client.get("/schools/139948/").content.decode()
    assert "Key stage 4 results" in page and "Progress 8" in page
    for word in ("pep-band", "pep-priority", "Priority", "Red", "Amber", "Green", "rating"):
        assert word not in page.split('id="published-figures"')[1], word


def test_three_years_at_most_and_queries_do_not_grow(surrey):
    school = School.objects.get(urn=145543)
    with CaptureQueriesContext(connection) as ctx:
        data = figures(school)
    assert len(ctx.captured_queries) <= 3
    ks2 = next(g for g in data["groups"] if g["kind"] == "ks2")
    assert {r["year"] for r in ks2["rows"]} <= {"2016/17", "2017/18", "2018/19"}


def test_a_school_without_figures_says_so(client, surrey):
    Benchmark.objects.all().delete()
    school = School.objects.exclude(values__isnull=False).filter(status="open").first()
    page = client.get(f"/schools/{school.urn}/").content.decode()
    assert "No published results, absence or pupil figures" in page
