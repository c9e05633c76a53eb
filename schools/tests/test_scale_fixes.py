"""Changes made for the England-scale bench (bench/README.md): the cached home section, the trust
filter's choices and the register write's value adaptation behave as before."""

import datetime
from decimal import Decimal

import pytest

from schools.imports.gias import DEFAULTS
from schools.imports.pipeline import fast_upsert
from schools.models import Governance, ImportRecord, LocalAuthority, School, Trust, TrustLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def school(la, urn, **extra):
    fields = {"urn": urn, "la": la, "name": f"School {urn}", "phase": "primary", "governance": Governance.ACADEMY,
              "type_name": "Academy converter", "pupils": 200, "ofsted_rating": "Good"}
    fields.update(extra)
    return School.objects.create(**fields)


def test_it_shows_new_register_figures_on_the_home_page_at_once(client):
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    school(la, 700001)
    first = client.get("/")
    assert first.context["glance"]["total"] == 1 and "200</span> pupils" in first.content.decode()
    assert client.get("/").context["glance"]["total"] == 1  # served from the cache

    school(la, 700002, pupils=300)  # a school saved: the cached figures are out of date
    html = client.get("/").content.decode()
    assert "500</span> pupils" in html

    ImportRecord.objects.create(file_name="x.csv", sha256="0", kind="gias_establishments", status="done",
                                finished_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    assert "5 January 2026" in client.get("/").content.decode()  # an import done: recomputed too


def test_it_lists_only_trusts_with_a_current_school_in_the_partnership(client):
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    outside = LocalAuthority.objects.create(code="123", name="Elsewhere")
    here = Trust.objects.create(uid=5001, name="Here Trust", type=Trust.Type.MAT)
    left = Trust.objects.create(uid=5002, name="Left Trust", type=Trust.Type.MAT)
    away = Trust.objects.create(uid=5003, name="Away Trust", type=Trust.Type.MAT)
    sponsor = Trust.objects.create(uid=5004, name="A Sponsor", type=Trust.Type.SPONSOR)
    a, b = school(la, 700001), school(la, 700002)
    TrustLink.objects.create(trust=here, school=a)
    TrustLink.objects.create(trust=here, school=b)  # two schools: the trust is listed once
    TrustLink.objects.create(trust=sponsor, school=a)
    TrustLink.objects.create(trust=left, school=b, joined_on=datetime.date(2015, 1, 1),
                             left_on=datetime.date(2019, 8, 31))
    TrustLink.objects.create(trust=away, school=school(outside, 700009))

    html = client.get("/schools/").content.decode()
    assert html.count(">Here Trust</option>") == 1
    assert "Left Trust" not in html and "Away Trust" not in html and "A Sponsor</option>" not in html
    listed = client.get("/schools/?trust=5001").context["table"].data.data
    assert sorted(s.urn for s in listed) == [700001, 700002]


def test_it_writes_dates_and_decimals_the_same_when_many_rows_share_them():
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    now = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    for i in range(12):
        school(la, 800000 + i)
    rows = [{**DEFAULTS, "urn": 800000 + i, "la_id": la.id, "name": f"S{i}", "updated_at": now,
             "ofsted_date": datetime.date(2024, 1, 1 + i % 3) if i % 4 else None,
             "fsm_percent": Decimal("12.5") if i % 2 else Decimal(12)} for i in range(12)]
    fast_upsert(School, rows, unique_fields=["urn"], update_fields=["name", "updated_at", "ofsted_date", "fsm_percent"])
    saved = {s.urn: s for s in School.objects.all()}
    for row in rows:
        s = saved[row["urn"]]
        assert (s.updated_at, s.ofsted_date, s.fsm_percent) == (now, row["ofsted_date"], row["fsm_percent"])


def test_it_renders_a_long_select_exactly_as_django_does():
    from django import forms

    from schools.widgets import LongSelect

    choices = [("", "Any trust"), ("5001", "A & B <Trust> \"q\" it's"), ("5002", "Other"),
               ("Group", [("x", "X"), ("y", "Y")])]
    for value in (None, "", "5001", "y"):
        django_html = forms.Select(choices=choices, attrs={"class": "govuk-select"}).render(
            "trust", value, {"id": "id_trust"})
        ours = LongSelect(choices=choices, attrs={"class": "govuk-select"}).render("trust", value, {"id": "id_trust"})
        assert ours == django_html.replace("\n", "").replace("  ", "")


@pytest.fixture
def copy_everything(monkeypatch):
    """The PostgreSQL COPY path for every size of write (it starts at 2,000 rows)."""
    from django.db import connection

    from schools.imports import performance, pipeline

    if connection.vendor != "postgresql":
        pytest.skip("COPY is the PostgreSQL path; run with DATABASE_URL=postgres://...")
    monkeypatch.setattr(pipeline, "COPY_MIN_ROWS", 1)
    monkeypatch.setattr(performance, "COPY_MIN_ROWS", 1)


def test_it_writes_awkward_text_nulls_and_dates_through_copy(copy_everything):
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    school(la, 800000, name="Old name")
    now = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    names = ['St Mary\'s "Big", School', "Line\nbreak", "", "\\N", "Ünïcödé, ok"]
    rows = [{**DEFAULTS, "urn": 800000 + i, "la_id": la.id, "name": name, "town": "", "updated_at": now,
             "pupils": None if i % 2 else 10 * i, "fsm_percent": Decimal("12.5") if i else None,
             "ofsted_date": datetime.date(2024, 1, 2) if i else None} for i, name in enumerate(names)]
    fast_upsert(School, rows, unique_fields=["urn"],
                update_fields=["name", "town", "updated_at", "pupils", "fsm_percent", "ofsted_date"])
    saved = {s.urn: s for s in School.objects.all()}
    for row in rows:
        s = saved[row["urn"]]
        assert (s.name, s.town, s.pupils, s.fsm_percent, s.ofsted_date, s.updated_at) == (
            row["name"], "", row["pupils"], row["fsm_percent"], row["ofsted_date"], now)


def test_it_writes_figures_through_copy_as_through_values(copy_everything):
    from schools.imports.performance import _upsert
    from schools.models import Measure, Value

    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    a, b = school(la, 800001), school(la, 800002)
    measure = Measure.objects.get(code="ks2_rwm_exp")
    now = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    cols = ("school_id", "measure_id", "year", "value", "marker", "cohort", "source_id", "updated_at")
    _upsert("schools_value", cols, ("school_id", "measure_id", "year"),
            [(a.id, measure.id, 2023, 61.0, "", 30, None, now), (b.id, measure.id, 2023, None, "SUPP", None, None, now)])
    _upsert("schools_value", cols, ("school_id", "measure_id", "year"),
            [(a.id, measure.id, 2023, 64.5, "", 31, None, now)])  # a newer file: updated in place
    got = {v.school_id: (v.value, v.marker, v.cohort) for v in Value.objects.filter(measure=measure, year=2023)}
    assert got == {a.id: (64.5, "", 31), b.id: (None, "SUPP", None)}


def test_it_loads_existing_rows_the_same_by_keys_or_whole_table(monkeypatch):
    from schools.imports import pipeline

    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    for i in range(6):
        school(la, 800000 + i, pupils=100 + i)
    keys = [800001, 800003, 800005, 999999]
    by_chunks = pipeline.load_existing(School.objects.all(), "urn", ["pupils"], keys=keys, chunk=2)
    monkeypatch.setattr(pipeline, "WHOLE_TABLE_KEYS", 1)
    whole = pipeline.load_existing(School.objects.all(), "urn", ["pupils"], keys=keys)
    assert whole == by_chunks == {800001: {"pupils": 101}, 800003: {"pupils": 103}, 800005: {"pupils": 105}}
