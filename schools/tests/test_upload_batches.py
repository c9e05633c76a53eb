"""Several files in one upload, each previewed in turn; short refusals; a readable history."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from schools.models import ImportRecord, School
from schools.tests.test_register_pages import GOOD, HEADER


def row(urn, name):
    return f"{urn},899,Northbridge,{urn % 10000},{name},Community school,Local authority maintained schools,Open,Primary,210\n"


def upload(client, *files, **data):
    return client.post("/dashboard/imports/upload/",
                       {"file": [SimpleUploadedFile(name, content.encode()) for name, content in files], **data})


def test_several_files_are_previewed_one_after_another_in_import_order(client_for, settings):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    admin = client_for("admin")
    renamed = HEADER + row(900101, "Alder Church Primary School")
    groups = "Group UID,Group Name,Group Type,Group Status\n1,Alder Trust,Multi-academy trust,Open\n"
    response = upload(admin, ("b-groups.csv", groups), ("a-register.csv", GOOD), ("c-register.csv", renamed))
    records = list(ImportRecord.objects.order_by("pk"))
    assert [r.file_name for r in records][:2] == ["a-register.csv", "c-register.csv"]
    first = records[0]
    assert response["Location"] == f"/dashboard/imports/{first.pk}/"
    page = admin.get(response["Location"]).content.decode()
    assert "File 1 of 3 in this upload" in page and "Next: c-register.csv" in page
    # Confirming the first file leads straight to the next, checked again against what is now imported.
    response = admin.post(f"/dashboard/imports/{first.pk}/confirm/", {"action": "confirm"})
    second = records[1]
    assert response["Location"] == f"/dashboard/imports/{second.pk}/"
    page = admin.get(response["Location"]).content.decode()
    assert "File 2 of 3" in page and "Alder Church Primary School" in page
    second.refresh_from_db()
    assert (second.report["new"], second.report["changed"]) == (0, 1)
    admin.post(f"/dashboard/imports/{second.pk}/confirm/", {"action": "confirm"})
    assert School.objects.get(urn=900101).name == "Alder Church Primary School"


def test_a_file_of_no_known_kind_is_refused_in_one_short_message(client_for):
    admin = client_for("admin")
    response = upload(admin, ("shopping.csv", "Item,Price\nTea,2\n"))
    page = response.content.decode()
    assert response.status_code == 200 and "shopping.csv was not imported" in page
    record = ImportRecord.objects.get()
    assert record.status == "refused" and len(record.message) < 250
    assert "KS2 results" not in record.message and "listed on the import page" in record.message


def test_a_batch_with_a_refused_file_goes_on_with_the_good_ones(client_for, settings):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    admin = client_for("admin")
    response = upload(admin, ("register.csv", GOOD), ("shopping.csv", "Item,Price\nTea,2\n"))
    good = ImportRecord.objects.get(file_name="register.csv")
    assert response["Location"] == f"/dashboard/imports/{good.pk}/"
    page = admin.get(response["Location"]).content.decode()
    assert "shopping.csv</a>: refused" in page


def test_a_long_preview_shows_twenty_rows_and_folds_the_rest(client_for, settings):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    admin = client_for("admin")
    content = HEADER + "".join(row(900200 + i, f"School {i}") for i in range(50))
    upload(admin, ("register.csv", content))
    page = admin.get(f"/dashboard/imports/{ImportRecord.objects.get().pk}/").content.decode()
    visible, folded = page.split("The other 30 new and changed rows")
    assert len(re.findall(r"School \d+</td>", visible)) == 20
    assert len(re.findall(r"School \d+</td>", folded)) == 30


def test_the_history_names_kinds_in_words(client_for, settings):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    admin = client_for("admin")
    upload(admin, ("edubasealldata20250401.csv", GOOD))
    page = admin.get("/dashboard/imports/").content.decode()
    assert "GIAS establishment extract" in page and "gias_establishments" not in page
    assert "edubasealldata20250401.csv" in page and "Admin" in page


def test_the_import_page_says_which_files_to_fetch_in_order(client_for):
    page = client_for("admin").get("/dashboard/imports/upload/").content.decode()
    order = [page.index(f'id="step-{step}"') for step in ("register", "trusts", "performance", "ofsted")]
    assert order == sorted(order)
    assert "get-information-schools.service.gov.uk" in page and "compare-school-performance" in page
    assert 'multiple' in page
