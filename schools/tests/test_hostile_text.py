"""Any text a DfE file can carry (control characters, very long names) imports, shows and exports.

A NUL at the start of a file marks it as binary (refused, with a message); one further in is dropped,
as PostgreSQL cannot store it.
"""

import io

import pytest
from openpyxl import load_workbook

from dashboard import runs
from dashboard.tests import factories as f
from schools.imports.pipeline import run_file
from schools.models import ImportRecord, School
from schools.tests.test_register_import import HEADER

pytestmark = pytest.mark.django_db

NASTY = "Bell Lane\x01\x07\x0b\x1b\x7f Primary \u200b\ufeff\u202e School"
LONG = "Very Long " * 60  # 600 characters


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_control_characters_and_long_names_import_show_and_export(client_for):
    p1, p2, p3 = f.three_priorities()
    la = p1.la.code
    rows = [f"{p1.urn},{la},Northbridge,2001,{NASTY},Community school,Local authority maintained schools,Open,"
            "Primary,210",
            f"{p2.urn},{la},Northbridge,2002,{LONG},Community school,Local authority maintained schools,Open,"
            "Primary,210"]
    # Other LAs' rows (skipped), then a NUL far into the file, past the check for binary files.
    rows += [f"{800000 + i},999,Elsewhere,{i},Other {i},Community school,Local authority maintained schools,Open,"
             "Primary,100" for i in range(60)]
    rows.append(f"{p3.urn},{la},Northbridge,2003,Nul\x00 Road Primary,Community school,"
                "Local authority maintained schools,Open,Primary,210")
    record = run_file((HEADER + "\n".join(rows) + "\n").encode(), "edubasealldata.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    stored = School.objects.get(pk=p1.pk).name
    assert "Bell" in stored and "Lane" in stored and "Primary" in stored and "\x00" not in stored
    assert School.objects.get(pk=p2.pk).name == LONG.strip()[:200]
    assert School.objects.get(pk=p3.pk).name == "Nul Road Primary"  # PostgreSQL cannot store NUL
    runs.run_ratings()
    officer = client_for("officer")
    for url in (f"/schools/{p1.urn}/", "/schools/", f"/dashboard/schools/{p1.urn}/", "/dashboard/schools/",
                f"/dashboard/schools/{p2.urn}/"):
        response = officer.get(url)
        assert response.status_code == 200, url
    csv = b"".join(officer.get("/schools/?_export=csv").streaming_content).decode()
    assert "Lane" in csv
    csv = b"".join(officer.get("/dashboard/schools/?_export=csv").streaming_content).decode()
    assert "Lane" in csv and LONG.strip()[:200] in csv
    response = officer.get("/dashboard/schools/?_export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any("Bell" in n and "Lane" in n and "Primary" in n for n in names), names
    assert LONG.strip()[:200] in names
