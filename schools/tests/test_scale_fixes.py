"""Changes made for the England-scale bench (bench/README.md): the cached home section, the trust
filter's choices and the register write's value adaptation behave as before."""

import datetime

import pytest

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
