"""The demo partnership: generated GIAS files imported through the real pipeline, idempotently."""

import csv
from collections import Counter

import pytest

from schools import demo, demo_generator
from schools.models import ImportRecord, School, SchoolLink, Trust, TrustLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_generator_is_deterministic_and_writes_real_layouts(tmp_path):
    a = demo_generator.write_all(demo_generator.demo_partnership(), tmp_path / "a")
    b = demo_generator.write_all(demo_generator.demo_partnership(), tmp_path / "b")
    for kind in a:
        assert a[kind].read_bytes() == b[kind].read_bytes(), kind
    with open(a["gias_establishments"], encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[:5] == ["URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName"]
    assert a["gias_group_links"].read_bytes().decode("cp1252").startswith('"URN","Linked UID","Group Name"')


def test_the_demo_loads_the_partnership_and_a_second_run_changes_nothing(tmp_path):
    demo.load(folder=tmp_path)
    open_schools = School.objects.partnership().open()
    assert Counter(open_schools.values_list("phase", flat=True)) == {
        "primary": 46, "secondary": 10, "all_through": 1, "special": 4}  # secondary includes the UTC
    assert open_schools.filter(type_name="University technical college").count() == 1
    academies = open_schools.filter(governance__in=("academy", "free_school", "special_academy")).count()
    assert 0.65 <= academies / open_schools.count() <= 0.75
    assert Trust.objects.filter(type__in=("mat", "sat")).count() == 13
    assert TrustLink.objects.filter(trust__type__in=("mat", "sat")).values("school").distinct().count() == academies
    ratings = Counter(open_schools.values_list("ofsted_rating", flat=True))
    assert ratings["Special Measures"] == 1 and ratings["Requires improvement"] >= 3
    assert School.objects.filter(status="closed").count() == SchoolLink.objects.filter(link_type="Successor").count()
    records = ImportRecord.objects.count()
    before = list(School.objects.values_list()), list(TrustLink.objects.values_list())
    demo.load(folder=tmp_path)
    assert ImportRecord.objects.count() == records
    assert (list(School.objects.values_list()), list(TrustLink.objects.values_list())) == before


def test_the_generator_scales_for_the_bench():
    data = demo_generator.national(n_schools=3000, n_las=152, closed_rows=1000)
    assert len(data.schools) == 4000 and len(data.las) == 152
    assert len({s.urn for s in data.schools}) == 4000
    assert {s.la_code for s in data.open_schools()} == set(data.la_codes)
