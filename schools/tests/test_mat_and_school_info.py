"""KS4 destinations, MAT KS4 performance and school information (spine): the real DfE files import.

Values are checked against the files themselves (read with the csv module); a re-import changes
nothing; a malformed copy of each is refused naming file, row and column, and leaves the database
as it was.
"""

import csv
import hashlib

import pytest

from schools.imports import pipeline
from schools.models import (
    Benchmark,
    ImportRecord,
    LocalAuthority,
    Measure,
    School,
    Trust,
    TrustLink,
    TrustValue,
    Value,
    ValueChange,
)
from schools.tests.perf_support import import_bytes, import_path, perf_file

pytestmark = pytest.mark.django_db

DEST = "EXTRACT_851_portsmouth_dfe_ptables_ks4-pupdest.csv"
MATS = "dfe_ptables_2024-25_england_ks4-mats-performance_EXTRACT_4rows.csv"
SPINE = "dfe_ptables_815_northyorks_spine_school_information.csv"
DEST_MEASURES = {"ks4_dest_overall": "OVERALL_DESTPER", "ks4_dest_education": "EDUCATIONPER",
                 "ks4_dest_apprenticeship": "APPRENPER", "ks4_dest_employment": "EMPLOYMENTPER",
                 "ks4_dest_not_sustained": "NOT_SUSTAINEDPER", "ks4_dest_unknown": "UNKNOWNPER"}


def rows_of(name):
    with open(perf_file(name), encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def row_for(name, key, value):
    return next(r for r in rows_of(name) if r[key].strip() == str(value))


def pct(text):
    return float(text.rstrip("%"))


def fingerprint():
    """Row counts and a checksum of everything these imports may write (not the import log)."""
    digest = hashlib.sha256()
    counts = {}
    for model, fields in (
        (Value, ("school_id", "measure_id", "year", "value", "marker", "cohort", "source_id", "updated_at")),
        (Benchmark, ("area", "la_code", "phase", "measure_id", "year", "value", "marker", "cohort", "source_id")),
        (TrustValue, ("trust_uid", "trust_name", "measure_id", "year", "value", "marker", "cohort", "source_id",
                      "updated_at")),
        (ValueChange, ("school_id", "trust_uid", "measure_id", "year", "old_value", "new_value", "source_id")),
        (School, ("urn", "name", "low_age", "high_age", "open_date", "close_date", "gender", "religious_character",
                  "admissions_policy", "updated_at")),
    ):
        rows = list(model.objects.order_by("pk").values_list(*fields))
        counts[model.__name__] = len(rows)
        digest.update(repr(rows).encode())
    return counts, digest.hexdigest()


def refused(data, name, *, row, column, words=()):
    before = fingerprint()
    record = import_bytes(data, name)
    assert record.status == ImportRecord.Status.REFUSED, record.message
    message = record.message
    assert name in message and f"row {row}" in message and f"column {column}" in message, message
    assert "expected" in message, message
    for w in words:
        assert w in message, message
    assert fingerprint() == before
    return record


def reimport_changes_nothing(name):
    before = fingerprint()
    record = import_path(perf_file(name))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.rows_written == 0
    assert record.report["new"] == record.report["changed"] == 0
    assert fingerprint() == before


def lines(name):
    """The file's text lines (BOM removed) and the line ending it uses."""
    text = perf_file(name).read_bytes().decode("utf-8-sig")
    ending = "\r\n" if "\r\n" in text else "\n"
    return text.rstrip(ending).split(ending), ending


def joined(rows, ending):
    return (ending.join(rows) + ending).encode()


@pytest.fixture
def las(settings):
    settings.PARTNERSHIP_LA_CODES = ["851", "815"]
    return {code: LocalAuthority.objects.create(code=code, name=name)
            for code, name in (("851", "Portsmouth"), ("815", "North Yorkshire"))}


# ------------------------------------------------------------------------------------ KS4 destinations
@pytest.fixture
def portsmouth(las):
    for urn, name in ((139714, "The Portsmouth Academy"), (144192, "Springfield School"),
                      (140325, "Mary Rose School")):
        School.objects.create(urn=urn, la=las["851"], name=name, phase="secondary", governance="academy")


def test_it_imports_ks4_destinations_as_context_values_and_la_benchmarks(portsmouth):
    record = import_path(perf_file(DEST))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert (record.kind, record.academic_year, record.profile) == ("ks4_destinations", 2017, "ks4_destinations_2017")
    row = row_for(DEST, "URN", 139714)
    for code, column in DEST_MEASURES.items():
        v = Value.objects.get(school__urn=139714, measure__code=code)
        assert (v.year, v.value, v.marker, v.cohort, v.source_id) == (2017, pct(row[column]), "", int(row["COHORT"]),
                                                                      record.pk)
    # "SP" (small percentage, between 0 and 0.5%) is a marker, never zero
    assert row_for(DEST, "URN", 144192)["UNKNOWNPER"] == "SP"
    sp = Value.objects.get(school__urn=144192, measure__code="ks4_dest_unknown")
    assert (sp.value, sp.marker) == (None, "SP")
    la_row = next(r for r in rows_of(DEST) if r["RECTYPE"] == "LA")
    b = Benchmark.objects.get(area="la", la_code="851", measure__code="ks4_dest_overall", year=2017, phase="")
    assert (b.value, b.cohort) == (pct(la_row["OVERALL_DESTPER"]), int(la_row["COHORT"]))
    assert Benchmark.objects.filter(area="la", la_code="851").count() == len(DEST_MEASURES)
    school_rows = [r for r in rows_of(DEST) if r["RECTYPE"] in ("1", "2")]
    assert record.report["warning_counts"]["unknown_urn"] == len(school_rows) - 3
    assert record.rows_skipped == len(school_rows) - 3
    assert not Measure.objects.filter(code__in=DEST_MEASURES, is_core=True).exists()
    assert Measure.objects.get(code="ks4_dest_not_sustained").polarity == Measure.Polarity.LOWER


def test_the_public_school_page_shows_destinations_beside_the_la(portsmouth, client):
    import_path(perf_file(DEST))
    page = client.get("/schools/139714/").content.decode()
    assert "Key stage 4 destinations" in page
    assert "2017/18" in page and "91%" in page and "92%" in page  # the school and Portsmouth


def test_reimporting_destinations_changes_nothing(portsmouth):
    import_path(perf_file(DEST))
    reimport_changes_nothing(DEST)
    assert ValueChange.objects.count() == 0


def test_a_destinations_year_is_recognised_from_the_file_name_without_previous_years_columns(portsmouth):
    rows, ending = lines(DEST)
    header = rows[0].split(",")
    keep = [i for i, h in enumerate(header) if not h.endswith(("_17", "_18"))]
    cut = [",".join(c for i, c in enumerate(r.split(",")) if i in keep) for r in rows]
    record = import_bytes(joined(cut, ending), "dfe_ptables_2022-23_851_ks4-pupdest.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.academic_year == 2022


def test_a_destinations_percentage_over_100_is_refused(portsmouth):
    import_path(perf_file(DEST))
    rows, ending = lines(DEST)
    n = next(i for i, r in enumerate(rows) if ",139714," in r)
    assert ",91%,1%,2%,88%," in rows[n]
    rows[n] = rows[n].replace(",91%,1%,2%,88%,", ",191%,1%,2%,88%,", 1)
    refused(joined(rows, ending), "bad_ks4-pupdest.csv", row=n + 1, column="OVERALL_DESTPER", words=("over 100",))


def test_a_destinations_file_with_a_duplicate_urn_is_refused(portsmouth):
    rows, ending = lines(DEST)
    refused(joined(rows + [rows[1]], ending), "dup_ks4-pupdest.csv", row=len(rows) + 1, column="URN",
            words=("appears twice",))


# ---------------------------------------------------------------------------------- MAT KS4 performance
@pytest.fixture
def bourne(las):
    """Bourne Education Trust (UID 2386) in the register with one school; the other three trusts are not."""
    school = School.objects.create(urn=139948, la=las["851"], name="A Bourne school", phase="secondary",
                                   governance="academy")
    trust = Trust.objects.create(uid=2386, name="Bourne Education Trust", type=Trust.Type.MAT)
    TrustLink.objects.create(trust=trust, school=school)
    return trust


def test_it_imports_trust_ks4_figures_by_uid_even_for_trusts_not_in_the_register(bourne):
    record = import_path(perf_file(MATS))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert (record.kind, record.academic_year) == ("ks4_mats", 2024)
    for row in rows_of(MATS):
        uid = int(row["TRUST_UID"])
        got = {v.measure.code: v for v in TrustValue.objects.filter(trust_uid=uid).select_related("measure")}
        assert got["ks4_att8"].value == float(row["ATT8SCR_WGTAVG"])
        assert got["ks4_basics_95"].value == pct(row["PTL2BASICS_95_WGTAVG"])  # "42.10%" -> 42.1
        assert got["ks4_ebacc_aps"].value == float(row["EBACCAPS_WGTAVG"])
        assert row["P8MEA_WGTAVG"] == "NA"
        assert (got["ks4_p8"].value, got["ks4_p8"].marker) == (None, "NA")  # no Progress 8 for 2024/25
        assert {v.cohort for v in got.values()} == {int(row["TPUP_MATPTINC"])}
        assert {v.year for v in got.values()} == {2024}
        assert got["ks4_att8"].trust_name == row["TRUST_NAME"]
    assert record.report["warning_counts"]["trust_not_in_register"] == 3
    assert any("2157" in w["message"] and "Ark Schools" in w["message"] for w in record.report["warnings"])
    assert TrustValue.objects.count() == 4 * 4


def test_the_public_trust_page_shows_its_ks4_results_beside_england(bourne, client):
    import_path(perf_file(MATS))
    att8 = Measure.objects.get(code="ks4_att8")
    Benchmark.objects.create(area="england", measure=att8, year=2024, value=45.9)
    page = client.get("/trusts/2386/").content.decode()
    assert "Trust KS4 results (published by the DfE)" in page
    row = row_for(MATS, "TRUST_UID", 2386)
    assert row["ATT8SCR_WGTAVG"] in page and "44.6%" in page and row["PTL2BASICS_95_WGTAVG"] == "44.60%"
    assert "45.9" in page  # England beside it
    assert "Not available" in page  # England figures not imported for the other measures
    assert "pep-band" not in page and "Priority" not in page  # published data, never rated


def test_reimporting_trust_figures_changes_nothing_and_a_revised_file_keeps_the_history(bourne):
    first = import_path(perf_file(MATS))
    reimport_changes_nothing(MATS)
    rows, ending = lines(MATS)
    assert '"45.1"' in rows[1] and '"2046"' in rows[1]
    rows[1] = rows[1].replace('"45.1"', '"45.3"', 1)
    second = import_bytes(joined(rows, ending), "dfe_ptables_2024-25_england_ks4-mats-performance_revised.csv")
    assert second.status == ImportRecord.Status.DONE, second.message
    assert second.report["changed"] == 1 and second.rows_written == 1
    assert TrustValue.objects.get(trust_uid=2046, measure__code="ks4_att8").value == 45.3
    change = ValueChange.objects.get()
    assert (change.trust_uid, change.old_value, change.new_value, change.old_source_id, change.source_id) == (
        2046, 45.1, 45.3, first.pk, second.pk)


def test_a_trust_percentage_over_100_is_refused(bourne):
    import_path(perf_file(MATS))
    rows, ending = lines(MATS)
    rows[1] = rows[1].replace('"42.10%"', '"142.10%"', 1)
    refused(joined(rows, ending), "bad_ks4-mats-performance_2024-25.csv", row=2, column="PTL2BASICS_95_WGTAVG",
            words=("over 100",))


def test_a_trust_listed_twice_is_refused(bourne):
    rows, ending = lines(MATS)
    refused(joined(rows + [rows[2]], ending), "dup_ks4-mats-performance_2024-25.csv", row=len(rows) + 1,
            column="TRUST_UID", words=("2157", "appears twice"))


def test_a_trust_row_of_another_year_is_refused(bourne):
    rows, ending = lines(MATS)
    rows[3] = rows[3].replace('"202425"', '"202324"', 1)
    refused(joined(rows, ending), "year_ks4-mats-performance.csv", row=4, column="TIME_PERIOD", words=("2023/24",))


# ------------------------------------------------------------------------------- school information
@pytest.fixture
def north_yorks(las):
    la = las["815"]
    School.objects.create(urn=121293, la=la, name="Leeming and Londonderry Community Primary School")
    School.objects.create(urn=121296, la=la, name="Goathland Primary School", low_age=5, high_age=11,
                          religious_character="From the register")
    School.objects.create(urn=121316, la=la, name="Braeburn Primary")
    School.objects.create(urn=121725, la=la, name="Queen Mary's School")
    School.objects.create(urn=130591, la=la, name="Craven College")


def test_it_fills_register_gaps_from_school_information_and_never_creates_schools(north_yorks):
    before = School.objects.count()
    record = import_path(perf_file(SPINE))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert (record.kind, record.academic_year) == ("school_information", None)
    assert School.objects.count() == before
    assert record.report["warning_counts"]["unknown_urn"] == len(rows_of(SPINE)) - before
    assert record.rows_skipped == len(rows_of(SPINE)) - before

    row = row_for(SPINE, "URN", 121293)
    leeming = School.objects.get(urn=121293)
    assert (leeming.low_age, leeming.high_age) == (int(row["AGEL"]), int(row["AGEH"]))
    assert (leeming.gender, leeming.religious_character) == (row["GENDER"], row["RELDENOM"]) == ("Mixed",
                                                                                                 "Does not apply")
    assert row["ADMPOL"] == "Not recorded" and leeming.admissions_policy == ""  # "Not recorded" fills nothing

    goathland = School.objects.get(urn=121296)
    assert row_for(SPINE, "URN", 121296)["AGEL"] == "4"
    assert (goathland.low_age, goathland.religious_character) == (5, "From the register")  # the register wins

    queen_marys = row_for(SPINE, "URN", 121725)
    school = School.objects.get(urn=121725)
    assert (school.gender, school.religious_character, school.admissions_policy) == (
        queen_marys["GENDER"], queen_marys["RELDENOM"], queen_marys["ADMPOL"]) == ("Girls", "Church of England",
                                                                                 "Non-selective")
    assert row_for(SPINE, "URN", 121316)["CLOSEDATE"] == "20180930"
    assert str(School.objects.get(urn=121316).close_date) == "2018-09-30"
    craven = School.objects.get(urn=130591)
    assert row_for(SPINE, "URN", 130591)["AGEH"] == "99"
    assert (craven.low_age, craven.high_age) == (16, None)  # 99 = no upper age, not recorded as an age
    assert record.report["summary"]["schools updated"] == 5


def test_school_information_with_no_register_schools_warns_and_writes_nothing(las):
    before = fingerprint()
    record = import_path(perf_file(SPINE))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.report["summary"]["note"] == "no schools of the partnership in this file"
    assert fingerprint() == before


def test_reimporting_school_information_changes_nothing(north_yorks):
    import_path(perf_file(SPINE))
    reimport_changes_nothing(SPINE)


def test_school_information_with_a_duplicate_urn_is_refused(north_yorks):
    rows, ending = lines(SPINE)
    refused(joined(rows + [rows[2]], ending), "dup_spine_school_information.csv", row=len(rows) + 1, column="URN",
            words=("121293", "appears twice"))


def test_school_information_with_an_age_that_is_not_a_number_is_refused(north_yorks):
    rows, ending = lines(SPINE)
    n = next(i for i, r in enumerate(rows) if r.startswith("121293,"))
    assert ",4,11,Mixed," in rows[n]
    rows[n] = rows[n].replace(",4,11,Mixed,", ",four,11,Mixed,", 1)
    refused(joined(rows, ending), "bad_spine_school_information.csv", row=n + 1, column="AGEL", words=("four",))


def test_school_information_with_a_bad_close_date_is_refused(north_yorks):
    rows, ending = lines(SPINE)
    n = next(i for i, r in enumerate(rows) if r.startswith("121316,"))
    rows[n] = rows[n].replace(",20180930,", ",31/02/2018x,", 1)
    refused(joined(rows, ending), "date_spine_school_information.csv", row=n + 1, column="CLOSEDATE")


def test_the_upload_form_offers_the_new_kinds():
    codes = set(pipeline.kinds())
    assert {"ks4_destinations", "ks4_mats", "school_information"} <= codes


# ---------------------------------------------------------------------------------- in the upload page
@pytest.mark.parametrize("name, shown", [
    (MATS, "Bourne Education Trust"),
    (DEST, "LA 851"),
    (SPINE, "no schools of the partnership in this file"),
])
def test_an_admin_uploads_each_file_previews_and_confirms(bourne, client_for, name, shown, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    admin = client_for("admin")
    response = admin.post("/dashboard/imports/upload/",
                          {"file": SimpleUploadedFile(name, perf_file(name).read_bytes())})
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and record.status == "previewed", record.message
    page = admin.get(response["Location"]).content.decode()
    assert shown in page
    admin.post(f"/dashboard/imports/{record.pk}/confirm/", {"action": "confirm"})
    record.refresh_from_db()
    assert record.status == "done", record.message


def test_a_bad_trust_file_upload_names_file_row_and_column(bourne, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    rows, ending = lines(MATS)
    rows[1] = rows[1].replace('"2046"', '"20x6"', 1)
    response = client_for("admin").post("/dashboard/imports/upload/", {
        "file": SimpleUploadedFile("mats.csv", joined(rows, ending))})
    html = response.content.decode()
    assert "govuk-error-summary" in html and "mats.csv, row 2, column TRUST_UID" in html
    assert not TrustValue.objects.exists()
