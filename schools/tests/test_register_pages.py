"""Public register pages (home section, directory, school and trust pages) and the admin import pages."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schools.models import Cluster, Governance, ImportRecord, LocalAuthority, School, SchoolLink, Trust, TrustLink
from tests.world import CANARY_RATING

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_schools(n, *, start=800000, trust=None, **extra):
    la, _ = LocalAuthority.objects.get_or_create(code="899", defaults={"name": "Northbridge"})
    schools = []
    for i in range(n):
        fields = {"urn": start + i, "la": la, "name": f"School {start + i}", "phase": "primary",
                  "governance": Governance.ACADEMY if i % 2 else Governance.LA_MAINTAINED,
                  "type_name": "Academy converter" if i % 2 else "Community school", "pupils": 100 + i,
                  "ofsted_rating": "Good" if i % 3 else "Outstanding", "ofsted_date": datetime.date(2022, 1, 1)}
        fields.update(extra)
        schools.append(School(**fields))
    School.objects.bulk_create(schools)
    schools = list(School.objects.filter(urn__gte=start, urn__lt=start + n))
    if trust:
        TrustLink.objects.bulk_create([TrustLink(trust=trust, school=s) for s in schools])
    return schools


@pytest.fixture
def register():
    mat = Trust.objects.create(uid=5001, name="Harbour Learning Trust", type=Trust.Type.MAT)
    sponsor = Trust.objects.create(uid=5002, name="HARBOUR SPONSOR", type=Trust.Type.SPONSOR)
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    alder = School.objects.create(urn=700001, la=la, name="Alder Primary Academy", phase="primary",
                                  governance=Governance.ACADEMY, type_name="Academy converter", pupils=400,
                                  ofsted_rating="Good", ofsted_date=datetime.date(2023, 5, 4), town="Northbridge",
                                  postcode="NB1 1AA")
    birch = School.objects.create(urn=700002, la=la, name="Birch High School", phase="secondary",
                                  governance=Governance.LA_MAINTAINED, type_name="Community school", pupils=1000,
                                  ofsted_rating="Requires improvement")
    cedar = School.objects.create(urn=700003, la=la, name="=HYPERLINK(\"http://x\") Cedar", phase="special",
                                  governance=Governance.SPECIAL_MAINTAINED, type_name="Community special school",
                                  pupils=90, ofsted_rating="Special Measures")
    closed = School.objects.create(urn=600001, la=la, name="Old Alder School", phase="primary", status="closed",
                                   governance=Governance.LA_MAINTAINED, close_date=datetime.date(2015, 8, 31))
    other_la = LocalAuthority.objects.create(code="123", name="Elsewhere")
    School.objects.create(urn=700009, la=other_la, name="Outsider School", phase="primary")
    TrustLink.objects.create(trust=mat, school=alder, joined_on=datetime.date(2015, 9, 1))
    TrustLink.objects.create(trust=sponsor, school=alder, joined_on=datetime.date(2015, 9, 1))
    SchoolLink.objects.create(urn=alder.urn, linked_urn=closed.urn, link_type="Predecessor")
    north = Cluster.objects.create(name="North locality")
    north.schools.add(birch)
    return {"mat": mat, "sponsor": sponsor, "alder": alder, "birch": birch, "cedar": cedar, "closed": closed,
            "north": north}


def names(response):
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_the_directory_lists_the_partnerships_open_schools(client, register):
    response = client.get("/schools/")
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(["Alder Primary Academy", "Birch High School",
                                              "=HYPERLINK(\"http://x\") Cedar"])
    html = response.content.decode()
    assert "Harbour Learning Trust" in html and "HARBOUR SPONSOR" not in html
    assert CANARY_RATING not in html


@pytest.mark.parametrize("query, expected", [
    ("q=alder", ["Alder Primary Academy"]),
    ("q=700002", ["Birch High School"]),
    ("phase=secondary", ["Birch High School"]),
    ("governance=academy", ["Alder Primary Academy"]),
    ("type_name=Community+school", ["Birch High School"]),
    ("trust=5001", ["Alder Primary Academy"]),
    ("ofsted=Requires+improvement", ["Birch High School"]),
    ("ofsted=Inadequate", ["=HYPERLINK(\"http://x\") Cedar"]),
    ("cluster=NORTH", ["Birch High School"]),
    ("q=alder&closed=on", ["Alder Primary Academy", "Old Alder School"]),
])
def test_the_directory_filters(client, register, query, expected):
    query = query.replace("NORTH", str(register["north"].pk))
    response = client.get(f"/schools/?{query}")
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)


def test_the_directory_sorts_and_pages(client, register):
    response = client.get("/schools/?sort=-pupils")
    assert names(response)[0] == "Birch High School"
    make_schools(60)
    response = client.get("/schools/?page=2")
    assert response.status_code == 200 and "page 2 of 2" in response.content.decode()


def test_the_csv_export_escapes_formulas_and_follows_the_filters(client, register):
    response = client.get("/schools/?_export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["URN", "School", "LA code"]
    by_urn = {r[0]: r for r in rows[1:]}
    assert set(by_urn) == {"700001", "700002", "700003"}
    assert by_urn["700003"][1] == "'=HYPERLINK(\"http://x\") Cedar"
    assert by_urn["700001"][8] == "Harbour Learning Trust"
    filtered = client.get("/schools/?phase=secondary&_export=csv")
    assert len(list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode("utf-8-sig"))))) == 2


def test_the_school_page_shows_the_register_data_and_links(client, register):
    response = client.get("/schools/700001/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Alder Primary Academy", "Academy converter", "Harbour Learning Trust", "400", "Good",
                 "4 May 2023", "NB1 1AA", "Predecessor", "/schools/600001/", "Old Alder School"):
        assert text in html, text
    assert client.get("/schools/700009/").status_code == 404  # not a partnership school
    assert client.get("/schools/123/").status_code == 404
    closed = client.get("/schools/600001/").content.decode()
    assert "Closed" in closed and "31 August 2015" in closed


def test_the_trust_pages_list_trusts_and_their_schools(client, register):
    response = client.get("/trusts/")
    html = response.content.decode()
    assert "Harbour Learning Trust" in html and "HARBOUR SPONSOR" not in html
    page = client.get("/trusts/5001/").content.decode()
    assert "Alder Primary Academy" in page and "Multi-academy trust" in page
    assert client.get("/trusts/5002/").status_code == 200  # a sponsor page, not counted as a trust
    assert client.get("/trusts/999/").status_code == 404


def test_the_home_page_shows_the_partnership_at_a_glance(client, register):
    ImportRecord.objects.create(file_name="x.csv", sha256="0", kind="gias_establishments", status="done",
                                finished_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    response = client.get("/")
    glance = response.context["glance"]
    assert glance["total"] == 3 and glance["academies"] == 1 and glance["pupils"] == 1490
    assert glance["trust_count"] == 1 and glance["trusts"][0]["n"] == 1
    assert (glance["graded"], glance["good"], glance["good_share"]) == (3, 1, 33)
    html = response.content.decode()
    assert "The partnership at a glance" in html and "5 January 2026" in html
    assert "plotly" in html and "pep-chart-data" in html
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx)


@pytest.mark.parametrize("url", ["/", "/schools/", "/schools/?_export=csv", "/schools/?sort=-pupils&phase=primary",
                                 "/trusts/", "/trusts/5001/", "/schools/800001/"])
def test_query_counts_do_not_grow_with_the_number_of_schools(client, url):
    trust = Trust.objects.create(uid=5001, name="Big Trust", type=Trust.Type.MAT)
    make_schools(5, trust=trust)
    few = count_queries(client, url)
    make_schools(45, start=800100, trust=trust)
    assert count_queries(client, url) <= few


# -------------------------------------------------------------------------------- import pages
HEADER = ("URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,TypeOfEstablishment (name),"
          "EstablishmentTypeGroup (name),EstablishmentStatus (name),PhaseOfEducation (name),NumberOfPupils\n")
GOOD = (HEADER + "900101,899,Northbridge,2001,Alder Primary School,Community school,"
        "Local authority maintained schools,Open,Primary,210\n"
        "900102,123,Elsewhere,2002,Far School,Community school,Local authority maintained schools,Open,Primary,1\n")


def upload(client, content, name="edubasealldata.csv", **data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/dashboard/imports/upload/",
                       {"file": SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content),
                        **data})


def test_an_admin_uploads_previews_and_confirms_an_import(client_for):
    admin = client_for("admin")
    response = upload(admin, GOOD)
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dashboard/imports/{record.pk}/"
    assert record.status == "previewed" and not School.objects.exists()
    page = admin.get(response["Location"]).content.decode()
    assert "Confirm and import" in page and "outside the partnership" in page and "Alder Primary School" in page
    response = admin.post(f"/dashboard/imports/{record.pk}/confirm/", {"action": "confirm"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "done" and record.user.email == "admin@example.org"
    assert (record.rows_read, record.rows_written, record.rows_skipped) == (2, 1, 1)
    assert School.objects.get().urn == 900101
    assert "edubasealldata.csv" in admin.get("/dashboard/imports/").content.decode()


def test_a_bad_upload_shows_an_error_summary_naming_file_row_and_column(client_for):
    admin = client_for("admin")
    response = upload(admin, GOOD.replace("900101", "9001x1"), name="bad.csv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "bad.csv was not imported" in html
    assert "bad.csv, row 2, column URN: &#x27;9001x1&#x27; is not a URN" in html
    assert not School.objects.exists()
    assert ImportRecord.objects.get().status == "refused"


def test_an_admin_can_cancel_a_previewed_import(client_for):
    admin = client_for("admin")
    upload(admin, GOOD)
    record = ImportRecord.objects.get()
    admin.post(f"/dashboard/imports/{record.pk}/confirm/", {"action": "cancel"})
    record.refresh_from_db()
    assert record.status == "cancelled" and not School.objects.exists()


def test_a_large_file_runs_in_the_background_with_progress(client_for, settings,
                                                             django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 1
    admin = client_for("admin")
    upload(admin, GOOD)
    record = ImportRecord.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin.post(f"/dashboard/imports/{record.pk}/confirm/", {"action": "confirm"})
    record.refresh_from_db()
    assert record.status == "queued"
    page = admin.get(f"/dashboard/imports/{record.pk}/").content.decode()
    assert "import-progress.js" in page and "Refresh this page" in page
    assert admin.get(f"/dashboard/imports/{record.pk}/status.json").json()["done"] is False
    for callback in callbacks:
        callback()  # the Celery task, eager without a broker
    status = admin.get(f"/dashboard/imports/{record.pk}/status.json").json()
    assert status["done"] is True and status["status"] == "done" and status["progress"] == 100
    assert School.objects.filter(urn=900101).exists()


def test_the_task_is_safe_to_run_twice():
    from schools.imports.pipeline import preview
    from schools.tasks import run_import

    record = preview(GOOD.encode(), "edubase.csv")
    assert run_import(record.pk) == "done"
    assert run_import(record.pk) == "done"
    assert School.objects.count() == 1


def test_import_pages_are_for_admins_only(client_for):
    upload(client_for("admin"), GOOD)
    record = ImportRecord.objects.get()
    for persona in ("school_leader", "trust_leader", "chair", "officer"):
        assert client_for(persona).get("/dashboard/imports/").status_code == 404
        assert upload(client_for(persona), GOOD).status_code == 404
        assert client_for(persona).post(f"/dashboard/imports/{record.pk}/confirm/").status_code == 404
    assert client_for("anonymous").get("/dashboard/imports/upload/").status_code == 302
    assert not School.objects.exists()
