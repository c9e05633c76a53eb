"""GIAS register imports: the real files, re-imports, and every bad input a register file can hold."""

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from schools.imports.pipeline import run_file, run_path
from schools.models import Cluster, ImportRecord, LocalAuthority, School, SchoolLink, Trust, TrustLink

GIAS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "gias"
SURREY = GIAS / "gias_extract_2021_surrey936_all_open_establishments.csv"
OLD_2015 = GIAS / "gias_edubase_extract_20150407_free_schools_old_column_format.csv"
GROUPS_2022 = GIAS / "gias_allgroupsdata_20220331_pandas_roundtrip.csv"
GROUP_LINKS_2019 = GIAS / "gias_grouplinks_edubaseallacademiesandfree20190601.csv"
GROUP_LINKS_2022 = GIAS / "gias_alllinksdata_group_links_20220331_pandas_roundtrip.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def surrey(settings):
    settings.PARTNERSHIP_LA_CODES = ["936"]


def snapshot():
    """Everything the register import may touch, as comparable values."""
    return {model.__name__: sorted(map(repr, model.objects.values_list()))
            for model in (LocalAuthority, School, Trust, TrustLink, SchoolLink, Cluster)}


def read_rows(path, encoding):
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


# The register's categories (LA maintained, academy, free school...), written out again here from the file's own columns.
def expected_governance(group, type_name):
    t = type_name.lower()
    if group == "Local authority maintained schools":
        return "la_maintained"
    if group in ("Academies", "Free Schools"):
        if "special" in t:
            return "special_academy"
        return "academy" if group == "Academies" else "free_school"
    if group == "Special schools":
        if "independent" in t:
            return "independent"
        return "other" if "non-maintained" in t else "special_maintained"
    if group == "Independent schools":
        return "independent"
    return "other"


def expected_phase(phase_name, type_name):
    if "special" in type_name.lower():
        return "special"
    return {"primary": "primary", "middle deemed primary": "primary", "secondary": "secondary",
            "middle deemed secondary": "secondary", "all-through": "all_through", "all through": "all_through",
            "nursery": "nursery", "16 plus": "16_plus", "not applicable": "not_applicable"}[phase_name.lower()]


# ------------------------------------------------------------------------------------ real files
def test_it_imports_the_surrey_register_in_full_with_the_counts_of_the_file(surrey):
    rows = read_rows(SURREY, "utf-8-sig")
    record = run_path(SURREY)
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.rows_read == len(rows) == 590
    assert record.rows_written == 590 and record.rows_skipped == 0
    assert School.objects.count() == 590

    phases = Counter(expected_phase(r["PhaseOfEducation (name)"], r["TypeOfEstablishment (name)"]) for r in rows)
    categories = Counter(expected_governance(r["EstablishmentTypeGroup (name)"], r["TypeOfEstablishment (name)"])
                         for r in rows)
    assert Counter(School.objects.values_list("phase", flat=True)) == phases
    assert Counter(School.objects.values_list("governance", flat=True)) == categories
    # Spot checks against the file: 300 primary, 183 + 7 academies and free schools.
    assert phases["primary"] == 300
    statuses = Counter(r["EstablishmentStatus (name)"] for r in rows)
    assert School.objects.filter(status="proposed_to_close").count() == statuses["Open, but proposed to close"]
    school = School.objects.get(urn=125003)
    assert (school.name, school.pupils, float(school.fsm_percent), school.ofsted_rating) == (
        "West Byfleet Infant School", 269, 7.1, "Outstanding")
    assert str(school.ofsted_date) == "2008-05-07" and school.postcode == "KT14 6EF"
    assert (school.easting, school.northing, school.low_age, school.high_age) == (504518, 161216, 5, 7)
    assert LocalAuthority.objects.get(code="936").name == "Surrey"


def test_it_imports_the_2015_edubase_layout(settings):
    rows = read_rows(OLD_2015, "cp1252")
    settings.PARTNERSHIP_LA_CODES = sorted({r["LA (code)"] for r in rows})
    record = run_path(OLD_2015)
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.report["encoding"] == "windows-1252"
    assert School.objects.count() == len(rows) == 323
    # The old layout has no type group: free schools are recognised from their type.
    assert School.objects.filter(governance="free_school").count() == sum(
        1 for r in rows if "special" not in r["TypeOfEstablishment (name)"].lower())
    assert School.objects.filter(governance="special_academy").count() == 14
    assert School.objects.filter(status="closed").count() == 6
    assert School.objects.filter(phase="all_through").count() == 26
    wlfs = School.objects.get(urn=136750)
    assert wlfs.website == "http://www.wlfs.org" and wlfs.phase == "secondary" and wlfs.pupils == 360


def test_other_las_rows_are_warnings_counted_in_the_report(settings):
    settings.PARTNERSHIP_LA_CODES = ["330"]
    record = run_path(OLD_2015)
    assert record.status == ImportRecord.Status.DONE
    assert School.objects.count() == 12
    assert record.rows_skipped == 311
    assert record.report["warning_counts"] == {"outside_partnership": 311}


def test_the_group_files_attach_schools_to_trusts(surrey):
    run_path(SURREY)
    register = set(School.objects.values_list("urn", flat=True))
    assert run_path(GROUPS_2022).status == ImportRecord.Status.DONE
    record = run_path(GROUP_LINKS_2019)
    assert record.status == ImportRecord.Status.DONE, record.message
    links = [r for r in read_rows(GROUP_LINKS_2019, "cp1252") if r["LA (code)"] == "936"]
    in_trusts = {int(r["URN"]) for r in links if r["Group Type"] in ("Multi-academy trust", "Single-academy trust")
                 and int(r["URN"]) in register}
    linked = set(TrustLink.objects.filter(trust__type__in=("mat", "sat"), left_on=None)
                 .values_list("school__urn", flat=True))
    assert linked == in_trusts and len(in_trusts) > 150
    # An academy is linked to its trust and to its sponsor: both kept, one school in the trust.
    twice = Counter(int(r["URN"]) for r in links if int(r["URN"]) in register)
    urn = next(u for u, n in twice.items() if n == 2)
    assert TrustLink.objects.filter(school__urn=urn).count() == 2
    school = School.objects.get(urn=urn)
    assert school.current_trust is not None and school.current_trust.counts_as_trust
    assert record.report["summary"]["schools linked"] == len({u for u in twice})
    assert record.report["warning_counts"]["outside_partnership"] == 14621 - len(links)
    # The groups file is the authority on names: the links file's spelling does not overwrite them.
    names = {int(r["Group UID"]): r["Group Name"] for r in read_rows(GROUPS_2022, "utf-8")}
    differ = [r for r in links if int(r["Linked UID"]) in names and names[int(r["Linked UID"])] != r["Group Name"]]
    assert differ
    uid = int(differ[0]["Linked UID"])
    assert Trust.objects.get(uid=uid).name == names[uid]


def test_the_2022_pandas_group_links_file_imports(surrey):
    run_path(SURREY)
    record = run_path(GROUP_LINKS_2022)
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.kind == "gias_group_links"
    assert TrustLink.objects.filter(trust__type="mat").exists()


def test_a_second_import_of_the_same_files_changes_nothing(surrey):
    for path in (SURREY, GROUPS_2022, GROUP_LINKS_2019):
        assert run_path(path).status == ImportRecord.Status.DONE
    before = snapshot()
    for path in (SURREY, GROUPS_2022, GROUP_LINKS_2019):
        record = run_path(path)
        assert record.status == ImportRecord.Status.DONE
        assert record.rows_written == 0, (path.name, record.message)
        assert record.report["new"] == record.report["changed"] == 0
    assert snapshot() == before


def test_a_changed_school_is_previewed_as_changed_then_written(surrey):
    run_path(SURREY)
    text = SURREY.read_text(encoding="utf-8-sig").replace('"West Byfleet Infant School"', '"West Byfleet Infants"')
    record = run_file(text.encode(), "gias_extract_changed.csv")
    assert record.status == ImportRecord.Status.DONE
    assert (record.report["new"], record.report["changed"], record.rows_written) == (0, 1, 1)
    row = record.report["rows"][0]
    assert row["key"] == "125003" and row["changes"]["EstablishmentName"] == [
        "West Byfleet Infant School", "West Byfleet Infants"]
    assert School.objects.get(urn=125003).name == "West Byfleet Infants"


def test_a_closed_school_stays_and_links_join_old_and_new_urns(surrey):
    run_path(SURREY)
    rows = SURREY.read_text(encoding="utf-8-sig").splitlines()
    header = next(csv.reader([rows[0]]))
    closed = next(csv.DictReader([rows[0], rows[1]]))
    closed.update({"URN": "100001", "EstablishmentName": "Old Byfleet School", "EstablishmentStatus (name)": "Closed",
                   "CloseDate": "31-08-2012"})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([closed[h] for h in header])
    assert run_file(out.getvalue().encode(), "edubase_closed.csv").status == ImportRecord.Status.DONE
    old = School.objects.get(urn=100001)
    assert old.status == "closed" and str(old.close_date) == "2012-08-31"
    links = ('"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"\r\n'
             '"125003","100001","Old Byfleet School","Predecessor","01-09-2012"\r\n'
             '"100001","125003","West Byfleet Infant School","Successor","01-09-2012"\r\n'
             '"999991","999992","Elsewhere","Successor","01-09-2012"\r\n')
    record = run_file(links.encode("cp1252"), "links_edubasealldata20250422.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.kind == "gias_links" and record.rows_written == 2 and record.rows_skipped == 1
    assert SchoolLink.objects.filter(urn=125003, linked_urn=100001, link_type="Predecessor").exists()
    # The full register again (without the closed school): it stays, still closed.
    run_path(SURREY)
    assert School.objects.get(urn=100001).status == "closed"


def test_the_command_imports_in_kind_order_and_prints_the_report(surrey, capsys):
    call_command("import_gias", str(GROUP_LINKS_2019), str(SURREY), la_codes="936")
    out = capsys.readouterr().out
    assert out.index(SURREY.name) < out.index(GROUP_LINKS_2019.name)
    assert "590 rows read" in out and "rows are for schools outside the partnership's LAs" in out
    assert TrustLink.objects.exists()


def test_the_command_fails_with_the_message_on_refusal(tmp_path):
    bad = tmp_path / "edubase.csv"
    bad.write_bytes(HEADER.encode() + b"12a,899,Northbridge,2001,Alder School,Community school,"
                    b"Local authority maintained schools,Open,Primary,200\n")
    with pytest.raises(CommandError, match=r"edubase.csv, row 2, column URN: '12a' is not a URN"):
        call_command("import_gias", str(bad))


# ------------------------------------------------------------------------------------ bad input
HEADER = ("URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,TypeOfEstablishment (name),"
          "EstablishmentTypeGroup (name),EstablishmentStatus (name),PhaseOfEducation (name),NumberOfPupils\n")
ROWS = [
    "900101,899,Northbridge,2001,Alder Primary School,Community school,Local authority maintained schools,Open,"
    "Primary,210",
    "900102,899,Northbridge,2002,Birch Primary Academy,Academy converter,Academies,Open,Primary,420",
    "900103,899,Northbridge,4001,Cedar High School,Academy sponsor led,Academies,Open,Secondary,1100",
]


def register(*rows):
    return (HEADER + "\n".join(rows) + "\n").encode()


@pytest.fixture
def loaded():
    record = run_file(register(*ROWS), "edubasealldata.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    return snapshot()


def refused(data, name, loaded_snapshot, **kwargs):
    record = run_file(data, name, **kwargs)
    assert record.status == ImportRecord.Status.REFUSED, record.message
    assert snapshot() == loaded_snapshot, "a refused import changed the database"
    return record.message


def test_an_empty_file_is_refused(loaded):
    assert refused(b"", "empty.csv", loaded) == "empty.csv, row 1: the file is empty (expected a header row and data rows)"
    assert "row 2" in refused(HEADER.encode(), "header_only.csv", loaded)


def test_an_unknown_header_is_refused_in_one_short_message(loaded):
    message = refused(b"Name,Town\nAlder,Northbridge\n", "mystery.csv", loaded)
    assert message.startswith("mystery.csv, row 1: the header does not match any kind")
    # the import page lists the kinds; the message does not repeat every one of them
    assert "listed on the import page" in message and "gias_group_links" not in message and len(message) < 250


def test_a_missing_urn_column_is_refused(loaded):
    data = register(*ROWS).replace(b"URN,LA (code)", b"Ref,LA (code)", 1)
    message = refused(data, "no_urn.csv", loaded)
    assert message.startswith("no_urn.csv, row 1, column URN: the column URN is missing")


def test_a_duplicate_urn_is_refused(loaded):
    message = refused(register(*ROWS, ROWS[0].replace("Alder", "Another")), "dup.csv", loaded)
    assert message.startswith("dup.csv, row 5, column URN: URN 900101 appears twice (also on row 2)")


def test_a_urn_that_is_not_a_number_is_refused(loaded):
    message = refused(register(ROWS[0], ROWS[1].replace("900102", "9001O2")), "letters.csv", loaded)
    assert message.startswith("letters.csv, row 3, column URN: '9001O2' is not a URN")


def test_a_row_longer_than_the_header_with_values_is_refused(loaded):
    message = refused(register(ROWS[0], ROWS[1] + ",,extra"), "long.csv", loaded)
    assert message.startswith("long.csv, row 3, column field 12 (after the last column)")
    assert "at most 10 fields" in message


def test_a_row_longer_than_the_header_with_empty_extras_is_accepted():
    record = run_file(register(ROWS[0] + ",,", ROWS[1]), "edubase_extras.csv")
    assert record.status == ImportRecord.Status.DONE and School.objects.count() == 2


def test_rows_shorter_than_the_header_read_the_missing_fields_as_empty():
    short = ",".join(ROWS[0].split(",")[:8])
    record = run_file(register(short), "edubase_short.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    school = School.objects.get(urn=900101)
    assert school.pupils is None and school.phase == "not_applicable"


def test_undecodable_bytes_are_refused_with_their_place(loaded):
    data = register(*ROWS).replace(b"Birch", b"Bir\x81ch")
    message = refused(data, "bytes.csv", loaded)
    assert message.startswith("bytes.csv, row 3, column EstablishmentName: byte 0x81 cannot be read as text")


def test_a_file_with_no_row_for_the_partnership_is_refused(loaded):
    data = register(*(r.replace(",899,", ",123,") for r in ROWS))
    message = refused(data, "elsewhere.csv", loaded)
    assert message.startswith("elsewhere.csv, column LA (code): no rows for LA codes 899")


def test_a_file_over_the_size_limit_is_refused_and_not_stored(loaded, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    message = refused(register(*ROWS * 20), "big.csv", loaded)
    assert "over the size limit" in message and "at most 1,024 bytes" in message
    assert ImportRecord.objects.get(file_name="big.csv").stored_name == ""


def test_other_file_types_and_utf16_are_refused(loaded):
    assert "expected a .csv or .xlsx file" in refused(register(*ROWS), "register.txt", loaded)
    assert "UTF-16" in refused(register(*ROWS).decode().encode("utf-16"), "wide.csv", loaded)
    assert "not an Excel workbook" in refused(register(*ROWS), "fake.xlsx", loaded)


def test_a_path_in_the_file_name_is_neutralised_and_the_file_stored_under_a_generated_name():
    record = run_file(register(*ROWS), "../../etc/edubase.csv", source="web")
    assert record.status == ImportRecord.Status.DONE
    assert record.file_name == "edubase.csv"
    assert record.stored_name.startswith("imports/") and "edubase" not in record.stored_name
    assert len(record.sha256) == 64 and record.size == len(register(*ROWS))


def test_encodings_bom_and_windows_1252_are_read():
    text = register(ROWS[0].replace("Alder", "Ældre Côte")).decode()
    assert run_file(b"\xef\xbb\xbf" + text.encode(), "bom.csv").status == ImportRecord.Status.DONE
    assert School.objects.get(urn=900101).name == "Ældre Côte Primary School"
    record = run_file(text.replace("Ældre", "Aeldre").encode("cp1252"), "ansi.csv")
    assert record.report["encoding"] == "windows-1252"
    assert School.objects.get(urn=900101).name == "Aeldre Côte Primary School"


def xlsx(rows, formula_at=None):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if formula_at:
        ws[formula_at] = "=1+1"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_xlsx_register_imports():
    rows = [HEADER.strip().split(",")] + [[int(v) if v.isdigit() else v for v in r.split(",")] for r in ROWS]
    record = run_file(xlsx(rows), "edubase.xlsx")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert School.objects.get(urn=900103).pupils == 1100


def test_an_xlsx_with_a_formula_is_refused(loaded):
    rows = [HEADER.strip().split(",")] + [r.split(",") for r in ROWS]
    message = refused(xlsx(rows, formula_at="J3"), "formula.xlsx", loaded)
    assert message.startswith("formula.xlsx, row 3, column NumberOfPupils: the cell holds a formula")


def test_a_zip_bomb_is_refused_before_it_is_opened(loaded):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    message = refused(out.getvalue(), "bomb.xlsx", loaded)
    assert "zip bomb" in message


def test_several_problems_are_all_listed_and_counted(loaded):
    record = run_file(register("x1,899,N,1,A,Community school,Local authority maintained schools,Open,Primary,1",
                               "x2,899,N,1,B,Community school,Local authority maintained schools,Open,Primary,1"),
                      "two.csv")
    assert record.status == ImportRecord.Status.REFUSED
    assert "(and 1 more problems)" in record.message
    assert [e["row"] for e in record.report["errors"]] == [2, 3]
    assert record.rows_rejected == 2


@pytest.mark.parametrize(
    "raw, expected",
    [("7768726.0", "07768726"), ("07768726", "07768726"), ("SC123456", "SC123456"), ("", ""), ("NULL", "")],
)
def test_it_keeps_companies_house_numbers_as_companies_house_writes_them(raw, expected):
    from schools.imports.gias_groups import companies_house_number

    assert companies_house_number(raw) == expected
