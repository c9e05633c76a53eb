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


def measure_table(page, code):
    """The small table under a measure's chart: rows This school, the LA, England; years as columns."""
    return page.split(f'id="figure-{code}-heading"')[1].split("</table>")[0]


def test_it_shows_published_figures_beside_la_and_england(client, surrey):
    page = client.get("/schools/145543/").content.decode()
    assert "Published figures" in page
    assert "Key stage 2 results" in page
    assert "KS2 reading, writing and maths at the expected standard" in page
    table = measure_table(page, "ks2_rwm_exp")
    assert "2018/19" in table
    rows = {r.split("</th>")[0].rsplit(">", 1)[-1]: r for r in table.split("<tr")[1:]}
    assert rows["This school"].rstrip().endswith("78%</td></tr>")
    assert "70%" in rows["Surrey"] and "65%" in rows["England"]
    assert "Source files: 2018/19 " in page.split('id="figure-ks2_rwm_exp-heading"')[1].split("</p>")[0]
    assert 'href="/about-the-data/#ks2_rwm_exp"' in page  # the heading links to the glossary


def test_years_are_columns_and_each_measure_a_row(client, surrey):
    from django.db.models import Count

    urn = (School.objects.filter(values__measure__code="ks2_rwm_exp").annotate(n=Count("values__year", distinct=True))
           .filter(n=3).values_list("urn", flat=True).first())
    page = client.get(f"/schools/{urn}/").content.decode()
    group = page.split('id="figures-ks2"')[1].split("</table>")[0]
    head = group.split("</thead>")[0]
    assert [y for y in ("2016/17", "2017/18", "2018/19") if y in head] == ["2016/17", "2017/18", "2018/19"]
    assert group.count('<th scope="row"') >= 5  # one row a measure
    assert "govuk-table__cell--numeric" in group  # figures right-aligned, tabular


def test_progress_shows_england_as_0_by_definition_in_table_and_chart(client, surrey):
    page = client.get("/schools/145543/").content.decode()
    table = measure_table(page, "ks2_read_prog")
    assert "0 (by definition)" in table
    assert "England (0 by definition)" in page.split('data-target="figure-ks2_read_prog"')[1].split("</script>")[0]


def test_it_shows_suppressed_figures_in_words_not_zero(client, surrey):
    page = client.get("/schools/138766/").content.decode()  # Wishmore Cross Academy, 3 pupils in 2018/19
    row = page.split("KS2 reading, writing and maths at the expected standard</a></th>")[1].split("</tr>")[0]
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
    assert len(ctx.captured_queries) <= 4
    ks2 = next(g for g in data["groups"] if g["kind"] == "ks2")
    assert set(ks2["years"]) <= {"2016/17", "2017/18", "2018/19"}


def test_a_school_without_figures_says_so(client, surrey):
    Benchmark.objects.all().delete()
    school = School.objects.exclude(values__isnull=False).filter(status="open").first()
    page = client.get(f"/schools/{school.urn}/").content.decode()
    assert "No published results, absence or pupil figures" in page
