"""Bad input, generated here: every refusal names file, row, column and what was expected, and the
database is unchanged (row counts and a content checksum before and after). Then the quirks that are
NOT errors: BOM, Windows-1252, short rows, every marker, unknown URNs."""

import io
import zipfile
from datetime import date

import pytest

from schools import demo_performance as dp
from schools.imports import pipeline
from schools.models import Benchmark, ImportRecord, LocalAuthority, School, Value
from schools.tests.perf_support import fingerprint, import_bytes

pytestmark = pytest.mark.django_db

URNS = (100001, 100002, 100003, 100004)


@pytest.fixture
def world(settings, tmp_path):
    """A small register and one good KS2, KS4 and absence import, so 'unchanged' means something."""
    settings.PARTNERSHIP_LA_CODES = ["899"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    schools = []
    for urn, phase in zip(URNS, ("primary", "primary", "secondary", "secondary"), strict=True):
        School.objects.create(urn=urn, la=la, name=f"School {urn}", phase=phase, pupils=420, governance="academy",
                              establishment_number=str(urn % 10000))
        schools.append(dp.DemoSchool(urn=urn, la_code="899", la_name="Northbridge", estab=str(urn % 10000),
                                     name=f"School {urn}", phase=phase, pupils=420, governance="academy"))
    gen = dp._Gen(1)
    files = {}
    for kind, writer in (("ks2", dp.write_ks2), ("ks4", dp.write_ks4), ("abs", dp.write_absence),
                         ("census", dp.write_census)):
        path = tmp_path / f"dfe_ptables_2022-23_899_{kind}.csv"
        writer(schools, 2022, path, gen)
        files[kind] = path.read_bytes()
    for kind in ("ks2", "ks4", "abs"):
        record = import_bytes(files[kind], f"dfe_ptables_2022-23_899_{kind}.csv")
        assert record.status == ImportRecord.Status.DONE, record.message
    assert Value.objects.count() > 10 and Benchmark.objects.count() > 5
    return files


def lines(data):
    text = data.decode("utf-8-sig")
    return text.split("\r\n") if "\r\n" in text else text.split("\n")


def join(rows, bom=True, crlf=True):
    text = ("\r\n" if crlf else "\n").join(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def set_cell(data, urn, column, new):
    """The file with one school's cell replaced (columns found by name)."""
    rows = lines(data)
    header = rows[0].split(",")
    i = header.index(column)
    for n, row in enumerate(rows):
        cells = row.split(",")
        if len(cells) > 3 and str(urn) in cells[:5]:
            cells += [""] * (len(header) - len(cells))
            cells[i] = new
            rows[n] = ",".join(cells)
            return join(rows, bom=data.startswith(b"\xef\xbb\xbf"), crlf=b"\r\n" in data), n + 1
    raise AssertionError(urn)


def refused(data, name, *, row=None, column=None, words=(), **kwargs):
    before = fingerprint()
    record = import_bytes(data, name, **kwargs)
    assert record.status == ImportRecord.Status.REFUSED, record.message
    message = record.message
    shown = pipeline.safe_file_name(name)
    assert shown in message, message
    if row is not None:
        assert f"row {row}" in message, message
    if column is not None:
        assert f"column {column}" in message, message
    assert "expected" in message, message
    for w in words:
        assert w in message, message
    assert fingerprint() == before
    print(f"REFUSED: {message}")  # shown with -s: the list of messages for the closing note
    return record


# ---------------------------------------------------------------------------------------- header faults
def test_a_renamed_key_column_is_refused(world):
    rows = lines(world["ks2"])
    rows[0] = rows[0].replace(",URN,", ",URN_NEW,", 1)
    refused(join(rows), "dfe_ptables_2022-23_899_ks2final.csv", row=1, column="URN", words=("missing",))


def test_a_missing_urn_column_is_refused(world):
    rows = [",".join(r.split(",")[:2] + r.split(",")[3:]) for r in lines(world["abs"]) if r]
    refused(join(rows, bom=False, crlf=False), "dfe_ptables_2022-23_899_abs.csv", row=1, column="URN",
            words=("missing",))


def test_another_years_header_for_the_chosen_year_is_refused(world):
    refused(world["ks2"], "dfe_ptables_2022-23_899_ks2final.csv", year=2021, row=1, column="TELIG_22",
            words=("2022/23", "not 2021/22"))


def test_a_file_name_that_contradicts_the_header_year_is_refused(world):
    refused(world["ks4"], "dfe_ptables_2018-19_899_ks4final.csv", row=1, column="EBACCAPS_22",
            words=("file name says 2018/19",))


def test_persistent_absence_of_the_wrong_era_is_refused(world):
    rows = lines(world["abs"])
    rows[0] = rows[0].replace("PPERSABS10", "PPERSABS15")
    refused(join(rows, bom=False, crlf=False), "dfe_ptables_2022-23_899_abs.csv", row=1, column="PPERSABS15",
            words=("2014/15 or earlier",))


def test_a_file_of_another_kind_than_the_chosen_kind_is_refused(world):
    refused(world["abs"], "dfe_ptables_2022-23_899_abs.csv", kind="ks2", row=1, column="PERCTOT",
            words=("not a KS2 results file", "looks like Absence"))


def test_a_file_of_no_known_kind_is_refused_in_one_short_message(world):
    refused(b"Name,Colour,Size\r\nA,red,3\r\n", "shapes_2022-23.csv", row=1,
            words=("does not match any kind", "it starts Name, Colour, Size", "listed on the import page"))
    assert len(ImportRecord.objects.latest("pk").message) < 250


def test_a_file_whose_year_cannot_be_told_is_refused(world):
    refused(world["abs"], "england_abs.csv", row=1, column="header", words=("academic year",))


def test_a_year_without_published_ks2_results_is_refused(world):
    rows = [r for r in lines(world["ks2"])]
    header = [h for h in rows[0].split(",")]
    keep = [i for i, h in enumerate(header) if not h.endswith(("_21", "_22"))]
    rows = [",".join(c for i, c in enumerate(r.split(",")) if i in keep) for r in rows if r]
    refused(join(rows), "dfe_ptables_2019-20_899_ks2final.csv", row=1, words=("pandemic",))


def test_a_destinations_file_with_a_percentage_over_100_is_refused(world):
    refused(b"RECTYPE,LEA,ESTAB,URN,COHORT,OVERALL_DESTPER,EDUCATIONPER\r\n1,899,1,100001,50,195%,80%\r\n",
            "ks4-pupdest_2022-23.csv", row=2, column="OVERALL_DESTPER", words=("over 100",))


# ------------------------------------------------------------------------------------------- row faults
def test_duplicate_urns_among_school_rows_are_refused(world):
    rows = lines(world["ks2"])
    second = next(n for n, r in enumerate(rows) if ",100002," in r)
    rows[second] = rows[second].replace(",100002,", ",100001,", 1)
    refused(join(rows), "dfe_ptables_2022-23_899_ks2final.csv", row=second + 1, column="URN",
            words=("URN 100001 appears twice",))


def test_a_urn_that_is_not_a_number_is_refused(world):
    data, row = set_cell(world["ks2"], 100002, "URN", "10000X")
    refused(data, "dfe_ptables_2022-23_899_ks2final.csv", row=row, column="URN", words=("10000X", "not a number"))


def test_a_blank_urn_on_a_school_row_is_refused(world):
    data, row = set_cell(world["abs"], 100003, "URN", "")
    refused(data, "dfe_ptables_2022-23_899_abs.csv", row=row, column="URN", words=("URN of a school row is blank",))


def test_an_unknown_marker_is_refused(world):
    data, row = set_cell(world["ks2"], 100001, "PTRWM_EXP", "SUPPRESSED")
    refused(data, "dfe_ptables_2022-23_899_ks2final.csv", row=row, column="PTRWM_EXP",
            words=("SUPPRESSED", "neither a number nor a known marker", "SUPP"))


def test_a_percentage_over_100_is_refused(world):
    data, row = set_cell(world["ks4"], 100003, "PTL2BASICS_95", "104%")
    refused(data, "dfe_ptables_2022-23_899_ks4final.csv", row=row, column="PTL2BASICS_95", words=("over 100",))


def test_a_percentage_over_100_without_a_percent_sign_is_refused(world):
    data, row = set_cell(world["abs"], 100001, "PPERSABS10", "100.1")
    refused(data, "dfe_ptables_2022-23_899_abs.csv", row=row, column="PPERSABS10", words=("over 100",))


def test_a_negative_percentage_is_refused(world):
    data, row = set_cell(world["abs"], 100002, "PERCTOT", "-4.2")
    refused(data, "dfe_ptables_2022-23_899_abs.csv", row=row, column="PERCTOT", words=("below 0",))


def test_text_in_a_numeric_column_is_refused(world):
    data, row = set_cell(world["ks4"], 100004, "ATT8SCR", "about fifty")
    refused(data, "dfe_ptables_2022-23_899_ks4final.csv", row=row, column="ATT8SCR", words=("about fifty",))


def test_text_in_the_cohort_column_is_refused(world):
    data, row = set_cell(world["ks2"], 100001, "TELIG", "thirty")
    refused(data, "dfe_ptables_2022-23_899_ks2final.csv", row=row, column="TELIG", words=("thirty",))


def test_census_sen_parts_adding_up_over_100_are_refused(world):
    data, row = set_cell(world["census"], 100001, "PSENELSE", "60")
    data, _ = set_cell(data, 100001, "PSENELK", "50.5")
    refused(data, "dfe_ptables_2022-23_899_census.csv", row=row, column="PSENELSE + PSENELK", words=("over 100",))


def test_an_unknown_record_type_is_refused(world):
    data, row = set_cell(world["ks4"], 100003, "RECTYPE", "9")
    refused(data, "dfe_ptables_2022-23_899_ks4final.csv", row=row, column="RECTYPE",
            words=("record type '9'", "7 (england)"))


def test_an_la_summary_row_without_an_la_code_is_refused(world):
    rows = lines(world["ks4"])
    n = next(i for i, r in enumerate(rows) if r.startswith("4,899"))
    rows[n] = rows[n].replace("4,899", "4,ABC", 1)
    refused(join(rows), "dfe_ptables_2022-23_899_ks4final.csv", row=n + 1, column="LEA", words=("ABC",))


def test_a_row_longer_than_the_header_with_filled_extras_is_refused(world):
    rows = lines(world["abs"])
    width = len(rows[0].split(","))
    rows[3] = rows[3] + ",,surprise"
    refused(join(rows, bom=False, crlf=False), "dfe_ptables_2022-23_899_abs.csv", row=4,
            column=f"field {width + 2}", words=("surprise",))


def test_undecodable_bytes_are_refused_with_their_place(world):
    rows = lines(world["abs"])
    data = join(rows, bom=True, crlf=False)
    # A byte-order mark promises UTF-8; 0x81 then breaks that promise on row 3.
    head, rest = data.split(b"\n", 2)[:2], data.split(b"\n", 2)[2]
    bad = b"\n".join(head) + b"\n" + rest.replace(b",", b",\x81", 1)
    refused(bad, "dfe_ptables_2022-23_899_abs.csv", row=3, words=("0x81",))


def test_an_empty_file_is_refused(world):
    refused(b"", "dfe_ptables_2022-23_899_abs.csv", words=("empty",))


def test_a_header_only_file_is_refused(world):
    refused(lines(world["abs"])[0].encode() + b"\n", "dfe_ptables_2022-23_899_abs.csv", row=2, words=("no data rows",))


def test_an_ees_file_mixing_years_is_refused(world):
    data = (b"time_period,time_identifier,geographic_level,school_urn,headcount,susp_rate,perm_excl_rate\n"
            b"202223,Academic year,School,100001,400,2.5,0\n202324,Academic year,School,100002,410,3.1,0.02\n")
    refused(data, "ees_suspensions_school_level.csv", row=3, column="time_period", words=("2023/24",))


def test_an_ees_file_with_a_foreign_symbol_is_refused(world):
    data = (b"time_period,time_identifier,geographic_level,school_urn,headcount,susp_rate,perm_excl_rate\n"
            b"202223,Academic year,School,100001,400,[c],0\n")
    refused(data, "ees_suspensions_school_level.csv", row=2, column="susp_rate", words=("[c]",))


def ofsted_row(**cells):
    cells = {name: "NULL" for name in dp.OFSTED_MI_HEADER} | {"URN": "100001", "Web Link (opens in new window)": ""} | cells
    return ",".join(str(cells[name]) for name in dp.OFSTED_MI_HEADER)


def test_an_ofsted_grade_out_of_range_is_refused(world):
    data = "\n".join([",".join(dp.OFSTED_MI_HEADER), ofsted_row(**{"Latest OEIF overall effectiveness": "5"})])
    refused(data.encode(), "ofsted_mi_latest_inspections_as_at_2026-03-31.csv", row=2,
            column="Latest OEIF overall effectiveness", words=("grade '5'",))


def test_an_old_grade_word_in_a_report_card_column_is_refused(world):
    data = "\n".join([",".join(dp.OFSTED_MI_HEADER), ofsted_row(Achievement="Good")])
    refused(data.encode(), "ofsted_mi_latest_inspections_as_at_2026-03-31.csv", row=2, column="Achievement",
            words=("'Good' is not a report-card grade",))


def test_every_problem_is_listed_not_only_the_first(world):
    data, _ = set_cell(world["ks2"], 100001, "PTRWM_EXP", "lots")
    data, _ = set_cell(data, 100002, "PTRWM_HIGH", "150%")
    record = refused(data, "dfe_ptables_2022-23_899_ks2final.csv", words=("and 1 more problems",))
    columns = {p["column"] for p in record.report["errors"]}
    assert columns == {"PTRWM_EXP", "PTRWM_HIGH"}


# ------------------------------------------------------------------------------------------ upload faults
def workbook(cells):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in cells:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_xlsx_with_formulas_is_refused_not_evaluated(world):
    data = workbook([["LA", "ESTAB", "URN", "PERCTOT", "PPERSABS10"], [899, 1, 100001, "=1+2", 9.5]])
    refused(data, "dfe_ptables_2022-23_899_abs.xlsx", row=2, column="PERCTOT", words=("formula",))


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    refused(out.getvalue(), "dfe_ptables_2022-23_899_abs.xlsx", words=("zip bomb",))


def test_a_damaged_xlsx_is_refused(world):
    refused(b"PK\x03\x04" + b"not really a workbook" * 10, "dfe_ptables_2022-23_899_abs.xlsx", words=("damaged",))


def test_an_xlsx_that_is_fine_imports_its_first_sheet(world):
    data = workbook([["LA", "ESTAB", "URN", "PERCTOT", "PPERSABS10"], [899, 1, 100001, 4.4, "SUPP"],
                     ["NAT", "PRI", None, 5.5, 14.6]])
    record = import_bytes(data, "dfe_ptables_2024-25_899_abs.xlsx")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert Value.objects.get(school__urn=100001, measure__code="abs_persistent", year=2024).marker == "SUPP"


def test_a_file_over_the_size_limit_is_refused_and_not_kept(world, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    record = refused(world["ks2"], "dfe_ptables_2022-23_899_ks2final.csv", words=("over the size limit",))
    assert record.stored_name == ""


def test_a_file_named_csv_that_is_a_zip_is_refused(world):
    refused(workbook([["a"]]), "dfe_ptables_2022-23_899_abs.csv", words=("zip",))


def test_a_file_of_another_type_is_refused(world):
    refused(world["abs"], "dfe_ptables_2022-23_899_abs.txt", words=(".txt",))


def test_a_path_in_the_upload_name_is_stripped_and_the_file_stored_under_a_generated_name(world, settings):
    from pathlib import Path

    before = fingerprint()
    record = pipeline.preview(world["abs"], "../../../etc/cron.d/dfe_ptables_2022-23_899_abs.csv", source="web")
    assert record.status == ImportRecord.Status.PREVIEWED, record.message
    assert record.file_name == "dfe_ptables_2022-23_899_abs.csv"
    assert record.stored_name.startswith("imports/") and "dfe_ptables" not in record.stored_name
    assert (Path(settings.MEDIA_ROOT) / record.stored_name).is_file()
    assert fingerprint() == before  # a preview writes no figures


# ------------------------------------------------------------------------------------ quirks, not errors
def test_bom_windows_1252_short_rows_and_unknown_urns_are_imported(world):
    rows = lines(world["census"])
    n = next(i for i, r in enumerate(rows) if r.startswith("100001,"))
    cells = rows[n].split(",")
    cells[3] = "State-funded primary é"  # SCHOOLTYPE with a Windows-1252 character
    rows[n] = ",".join(cells[:12])  # a short row: the rest is read as empty
    rows.insert(n + 1, "999999,899,9999,State-funded primary,100,50,50,50,50,1,1,10,10,5,95,0,5,95,0,10,15,15")
    data = "\r\n".join(rows).encode("cp1252")
    record = import_bytes(data, "dfe_ptables_2023-24_899_census.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.report["encoding"] == "windows-1252"
    assert record.report["warning_counts"]["unknown_urn"] == 1
    assert any("999999" in w["message"] for w in record.report["warnings"])
    short = {v.measure.code: v for v in Value.objects.filter(school__urn=100001, year=2023)}
    assert short["pupils"].value > 0
    assert short["eal_percent"].marker == "BLANK"  # beyond the end of the short row


def test_every_marker_is_kept_as_a_marker(world):
    markers = ["SUPP", "NE", "NP", "NA", "NEW", "LOWCOV", "SP", "", "c", "x", "z", "low", "u", ":"]
    rows = ["time_period,time_identifier,geographic_level,school_urn,headcount,susp_rate,perm_excl_rate"]
    for i, marker in enumerate(markers):
        urn = 100001 + i
        if urn not in URNS:
            School.objects.create(urn=urn, la=LocalAuthority.objects.get(), name=f"Marker {marker or 'blank'}")
        rows.append(f"202425,Academic year,School,{urn},300,{marker},0")
    record = import_bytes("\n".join(rows).encode(), "ees_suspensions_exclusions_school_level_2024-25.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    stored = dict(Value.objects.filter(measure__code="suspension_rate", year=2024)
                  .values_list("school__urn", "marker"))
    assert [stored[100001 + i] for i in range(len(markers))] == [m or "BLANK" for m in markers]
    assert not Value.objects.filter(measure__code="suspension_rate", year=2024, value__isnull=False).exists()


def test_a_closed_school_row_with_no_figures_is_a_warning(world):
    rows = lines(world["ks2"])
    n = next(i for i, r in enumerate(rows) if ",100002," in r)
    header = rows[0].split(",")
    cells = rows[n].split(",")
    cells += [""] * (len(header) - len(cells))
    cells[header.index("ICLOSE")] = "1"
    for col in ("PTRWM_EXP", "PTRWM_HIGH", "PTRWM_EXP_FSM6CLA1A", "READPROG", "WRITPROG", "MATPROG", "TELIG"):
        cells[header.index(col)] = ""
    rows[n] = ",".join(cells)
    record = import_bytes(join(rows), "dfe_ptables_2022-23_899_ks2final.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.report["warning_counts"]["closed_no_values"] == 1
    assert record.rows_skipped == 1


def test_ungraded_ofsted_inspections_leave_the_graded_outcome_in_place(world):
    School.objects.filter(urn=100001).update(ofsted_rating="Good", ofsted_date=date(2021, 5, 4))
    data = "\n".join([",".join(dp.OFSTED_MI_HEADER), ofsted_row(**{
        "Date of latest ungraded inspection": "12/03/2025", "Ungraded inspection overall outcome": "Standards maintained"})])
    record = import_bytes(data.encode(), "ofsted_mi_latest_inspections_as_at_2026-03-31.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    school = School.objects.get(urn=100001)
    assert (school.ofsted_rating, school.ofsted_date) == ("Good", date(2021, 5, 4))
