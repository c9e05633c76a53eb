"""A new partnership's real files on day one: files made in the real layouts from rows of
../shared/data, with the quirks real downloads have, written to tmp_path in the test (never committed).
"""

import csv
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from schools.imports.pipeline import report_lines, run_path
from schools.models import ImportRecord, ReportCard, School, SchoolLink, Trust, TrustLink, Value
from schools.tests.perf_support import DATA, PERFORMANCE, SURREY_REGISTER, fingerprint, import_bytes

pytestmark = pytest.mark.django_db

GROUP_LINKS_2019 = DATA / "gias" / "gias_grouplinks_edubaseallacademiesandfree20190601.csv"
KS4_2017 = PERFORMANCE / "dfe_ptables_2017-18_936_surrey_ks4final.csv"
KS4_2018 = PERFORMANCE / "dfe_ptables_2018-19_936_surrey_ks4final.csv"
CENSUS_815 = PERFORMANCE / "dfe_ptables_2018-19_815_northyorks_census.csv"
OFSTED = PERFORMANCE / "ofsted_mi_state_funded_latest_inspections_as_at_2026-05-31_EXTRACT_4rows.csv"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PARTNERSHIP_LA_CODES = ["936"]


def read(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write(tmp_path, name, header, rows, extra=None):
    """A CSV in the real layout; extra: {row index: [fields after the last column]}."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for i, row in enumerate(rows):
        writer.writerow(list(row) + list((extra or {}).get(i, ())))
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return path


def surrey_rows(n=None):
    header, rows = read(SURREY_REGISTER)
    return header, rows[:n] if n else rows


def surrey_trusts():
    """URN -> (Group UID, Group Name) of each Surrey academy's trust, from the real 2019 group links."""
    header, rows = read(GROUP_LINKS_2019, "cp1252")
    i = {h: n for n, h in enumerate(header)}
    return {r[i["URN"]]: (r[i["Linked UID"]], r[i["Group Name"]]) for r in rows
            if r[i["LA (code)"]] == "936" and r[i["Group Type"]] in ("Multi-academy trust", "Single-academy trust")}


# ---- GIAS: linked-establishment overflow ---------------------------------------------------------
def test_a_gias_download_with_overflowing_linked_establishments_imports_every_link(tmp_path):
    header, rows = surrey_rows(40)
    rows = [r + ["Does not have links"] for r in rows]
    rows[3][-1] = "115961 Predecessor"
    rows[7][-1] = "125000 Predecessor - amalgamated"
    # Second and third links carried in fields after the last column, as GIAS writes them.
    extra = {3: ["148215 Successor", "149999 Successor - merged"], 7: ["125001 Predecessor - amalgamated"]}
    path = write(tmp_path, "edubasealldata20260101.csv", header + ["Linked establishments"], rows, extra)
    record = run_path(path)
    assert record.status == ImportRecord.Status.DONE, record.message
    urn3, urn7 = int(rows[3][0]), int(rows[7][0])
    assert set(SchoolLink.objects.filter(urn=urn3).values_list("linked_urn", "link_type")) == {
        (115961, "Predecessor"), (148215, "Successor"), (149999, "Successor - merged")}
    assert SchoolLink.objects.filter(urn=urn7).count() == 2
    assert record.report["summary"]["links to other establishments (Linked establishments)"] == 5
    again = run_path(path)
    assert again.report["summary"]["links new to the portal"] == 0 and SchoolLink.objects.count() == 5


def test_extra_fields_without_a_linked_establishments_column_are_still_refused(tmp_path):
    header, rows = surrey_rows(5)
    path = write(tmp_path, "edubasealldata.csv", header, rows, {2: ["115961 Predecessor"]})
    record = run_path(path)
    assert record.status == ImportRecord.Status.REFUSED
    assert record.report["fatal"]["row"] == 4 and "after the last column" in record.report["fatal"]["column"]
    assert School.objects.count() == 0


# ---- GIAS: a chosen subset of columns ------------------------------------------------------------
SUBSET = ("URN", "LA (code)", "EstablishmentName", "EstablishmentTypeGroup (name)", "NumberOfPupils")


def subset(header, rows, columns=SUBSET):
    idx = [header.index(c) for c in columns]
    return list(columns), [[r[i] for i in idx] for r in rows]


def test_a_download_with_a_subset_of_columns_imports_and_blanks_nothing(tmp_path):
    run_path(SURREY_REGISTER)
    before = {s.urn: s for s in School.objects.all()}
    header, rows = surrey_rows()
    cols, small = subset(header, rows)
    target = next(r for r in small if r[4].isdigit())
    target[4] = str(int(target[4]) + 7)
    record = run_path(write(tmp_path, "gias_search_results.csv", cols, small))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.report["changed"] == 1
    missing = record.report["summary"]["columns not in the file (left as they were)"]
    assert "PhaseOfEducation (name)" in missing and "Postcode" in missing and "EstablishmentStatus (name)" in missing
    assert "taken as open" in record.report["summary"]["status"]
    for school in School.objects.all():
        old = before[school.urn]
        assert (school.phase, school.postcode, school.type_name, school.ofsted_rating, school.easting) == (
            old.phase, old.postcode, old.type_name, old.ofsted_rating, old.easting)
    assert School.objects.get(urn=int(target[0])).pupils == int(target[4])


def test_a_subset_download_on_its_own_makes_open_schools(tmp_path):
    header, rows = surrey_rows(30)
    cols, small = subset(header, rows, ("URN", "LA (code)", "EstablishmentName", "TypeOfEstablishment (name)"))
    record = run_path(write(tmp_path, "gias_search_results.csv", cols, small))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert School.objects.count() == 30 and set(School.objects.values_list("status", flat=True)) == {"open"}


def test_a_download_without_a_type_or_type_group_is_refused_naming_the_column(tmp_path):
    run_path(SURREY_REGISTER)
    before = fingerprint()
    header, rows = surrey_rows(10)
    cols, small = subset(header, rows, ("URN", "LA (code)", "EstablishmentName", "NumberOfPupils"))
    record = run_path(write(tmp_path, "gias_search_results.csv", cols, small), kind="gias_establishments")
    assert record.status == ImportRecord.Status.REFUSED
    assert record.report["fatal"]["column"] == "TypeOfEstablishment (name)" and record.report["fatal"]["row"] == 1
    assert "gias_search_results.csv" in record.message
    assert fingerprint() == before


# ---- GIAS: trusts from the register until group links arrive -----------------------------------------
def test_register_trust_columns_link_academies_until_group_links_are_imported(tmp_path, client):
    header, rows = surrey_rows()
    trusts = surrey_trusts()
    rows = [r + [trusts.get(r[0], ("", ""))[0]] for r in rows]
    path = write(tmp_path, "edubasealldata20260101.csv", header + ["Trusts (code)"], rows)
    record = run_path(path)
    assert record.status == ImportRecord.Status.DONE, record.message
    academies = set(School.objects.filter(governance__in=("academy", "free_school", "special_academy"))
                    .values_list("urn", flat=True))
    with_code = {int(u) for u in trusts if int(u) in academies}
    linked = set(TrustLink.objects.filter(left_on=None, from_register=True).values_list("school__urn", flat=True))
    # Academies with a code, and those whose Trusts (name) names a trust the file gives a code for.
    assert with_code <= linked and len(with_code) > 100
    expected = linked
    assert record.report["summary"]["trusts created from the register"] == Trust.objects.count()
    biggest_uid, members = Counter(uid for urn, (uid, _) in trusts.items() if int(urn) in academies).most_common(1)[0]
    glf = Trust.objects.get(uid=int(biggest_uid))
    assert glf.type == "mat" and glf.school_links.count() == members > 10
    # A register-only partnership sees its trusts on the home and trust pages.
    assert glf.name in client.get("/").content.decode()
    assert client.get(f"/trusts/{glf.uid}/").status_code == 200
    # The same file again: no new links.
    assert run_path(path).report["summary"]["academies linked to a trust from the register"] == len(expected)
    assert TrustLink.objects.count() == len(expected)
    # Group links are the record once imported: the register's stand-in links give way.
    assert run_path(GROUP_LINKS_2019).status == ImportRecord.Status.DONE
    assert not TrustLink.objects.filter(from_register=True).exists()
    again = run_path(path)
    assert "group-links file" in again.report["summary"]["trust links"]
    assert not TrustLink.objects.filter(from_register=True).exists()


# ---- census: rounded parts over 100 ---------------------------------------------------------------
def census_file(tmp_path, ehc, support):
    header, rows = read(CENSUS_815)
    row = next(r for r in rows if r[2:4] and r[3] == "State-funded special school")
    row[header.index("PSENELK")], row[header.index("PSENELSE")] = ehc, support
    return write(tmp_path, "dfe_ptables_2018-19_815_northyorks_census.csv", header, rows), int(row[0]), rows.index(row)


def test_sen_parts_that_pass_100_by_rounding_import_as_100_and_beyond_that_are_refused(settings, tmp_path):
    settings.PARTNERSHIP_LA_CODES = ["815"]
    path, urn, index = census_file(tmp_path, "93.8", "6.3")
    from schools.models import LocalAuthority

    School.objects.create(urn=urn, la=LocalAuthority.objects.create(code="815", name="North Yorkshire"),
                          name="A special school")
    record = run_path(path)
    assert record.status == ImportRecord.Status.DONE, record.message
    assert Value.objects.get(school__urn=urn, measure__code="sen_percent", year=2018).value == 100.0
    before = fingerprint()
    path, urn, index = census_file(tmp_path, "93.8", "6.8")
    refused = run_path(path)
    assert refused.status == ImportRecord.Status.REFUSED
    fatal = refused.report["fatal"]
    assert (fatal["row"], fatal["column"]) == (index + 2, "PSENELSE + PSENELK")
    assert "add up to 100.6%" in fatal["message"] and fatal["file"] == path.name
    assert fingerprint() == before
    # Each part is still checked on its own.
    path, *_ = census_file(tmp_path, "100.2", "0")
    assert run_path(path).report["fatal"]["column"] == "PSENELK"


# ---- years: a _PREV header under a wrong year, final figures replaced only on purpose ---------------------
def prev_layout(path, prev_from):
    """The 2024/25 layout: no dated _NN columns; last year's figures in ATT8SCR_PREV / PTL2BASICS_95_PREV."""
    header, rows = read(path)
    keep = [i for i, h in enumerate(header) if not (h[-3:-2] == "_" and h[-2:].isdigit())]
    old_header, old_rows = read(prev_from)
    urn_i, old_urn = header.index("URN"), old_header.index("URN")
    old = {r[old_urn]: r for r in old_rows if len(r) > old_urn and r[old_urn]}
    out = []
    for r in rows:
        r = r + [""] * (len(header) - len(r))
        prev = old.get(r[urn_i]) if r[urn_i] else None
        extra = [prev[old_header.index(c)] if prev and len(prev) > old_header.index(c) else "" for c in
                 ("ATT8SCR", "PTL2BASICS_95")]
        out.append([r[i] for i in keep] + extra)
    return [header[i] for i in keep] + ["ATT8SCR_PREV", "PTL2BASICS_95_PREV"], out


def test_a_prev_column_header_under_a_wrong_year_is_refused_before_it_costs_data(tmp_path):
    run_path(SURREY_REGISTER)
    # Last year's figures, as the 2023/24 file of the new layout.
    h23, r23 = prev_layout(KS4_2017, KS4_2017)
    h23, r23 = h23[:-2], [r[:-2] for r in r23]
    first = run_path(write(tmp_path, "england_ks4final.csv", h23, r23), year=2023)
    assert first.status == ImportRecord.Status.DONE, first.message
    before = fingerprint()
    # This year's file (2024/25 layout, _PREV columns = 2023/24's figures) given the wrong year 2023.
    header, rows = prev_layout(KS4_2018, KS4_2017)
    path = write(tmp_path, "england_ks4final.csv", header, rows)
    wrong = run_path(path, year=2023)
    assert wrong.status == ImportRecord.Status.REFUSED
    assert wrong.report["fatal"]["column"] == "ATT8SCR_PREV"
    assert "match the figures already stored for 2023/24" in wrong.message
    assert "this file is for 2024/25, not 2023/24 (chosen)" in wrong.message
    assert fingerprint() == before
    right = run_path(path, year=2024)
    assert right.status == ImportRecord.Status.DONE, right.message
    assert Value.objects.filter(year=2024, measure__code="ks4_att8").count() > 40
    assert Value.objects.filter(year=2024, measure__code="ks4_p8").count() == 0  # no Progress 8 for 2024/25


def test_the_command_refuses_to_change_final_figures_without_replace(tmp_path):
    run_path(SURREY_REGISTER)
    h23, r23 = prev_layout(KS4_2017, KS4_2017)
    path = write(tmp_path, "england_ks4final.csv", h23[:-2], [r[:-2] for r in r23])
    call_command("import_performance", str(path), year=2023)
    before = fingerprint()
    # A different year's figures given as 2023/24 again (no _PREV evidence in this layout).
    h24, r24 = prev_layout(KS4_2018, KS4_2018)
    other = write(tmp_path, "england_ks4final_v2.csv", h24[:-2], [r[:-2] for r in r24])
    with pytest.raises(CommandError, match=r"would change [\d,]+ figures already imported as final for 2023/24"):
        call_command("import_performance", str(other), year=2023)
    assert fingerprint() == before
    record = ImportRecord.objects.latest("pk")
    assert record.report["replace"]["year"] == 2023 and len(record.report["replace"]["examples"]) == 5
    call_command("import_performance", str(other), year=2023, replace=True)
    assert fingerprint() != before


def test_the_file_name_year_outranks_the_users(tmp_path):
    run_path(SURREY_REGISTER)
    header, rows = read(CENSUS_815)
    record = import_bytes(CENSUS_815.read_bytes(), "dfe_ptables_2018-19_815_northyorks_census.csv", year=2017)
    assert record.status == ImportRecord.Status.REFUSED
    assert "the file name says 2018/19, not 2017/18 as chosen" in record.message


def test_unknown_schools_are_reported_in_one_language(tmp_path):
    run_path(SURREY_REGISTER)
    record = run_path(KS4_2018)
    lines = "\n".join(report_lines(record))
    n = record.report["warning_counts"]["unknown_urn"]
    assert f"warning: {n} rows name schools not in the register" in lines
    assert "unknown_urn" not in lines


# ---- Ofsted report cards ----------------------------------------------------------------------------
def test_the_ofsted_file_keeps_each_report_card_areas_grade_and_date(tmp_path, settings):
    from schools.models import LocalAuthority

    header, rows = read(OFSTED)
    la = LocalAuthority.objects.create(code="936", name="Surrey")
    for r in rows:
        School.objects.create(urn=int(r[header.index("URN")]), la=la, name=r[header.index("School name")],
                              governance="la_maintained", phase="primary")
    card = next(r for r in rows if r[header.index("Inspection start date")] != "NULL")
    card[header.index("Achievement")] = "Needs attention"
    card[header.index("Category of concern")] = ""
    record = run_path(write(tmp_path, "ofsted_mi_2026-05-31.csv", header, rows))
    assert record.status == ImportRecord.Status.DONE, record.message
    stored = ReportCard.objects.get(school__urn=int(card[header.index("URN")]))
    assert str(stored.inspected_on) == "2026-01-13"
    assert stored.grades["Achievement"] == "Needs attention" and stored.grades["Safeguarding standards"] == "Met"
    assert ["Inclusion", "Strong standard", "2026-01-13"] in stored.areas
    assert ReportCard.objects.count() == 1  # the other rows have no report card
    assert run_path(write(tmp_path, "ofsted_mi_2026-05-31.csv", header, rows)).rows_written == 0


def test_the_preview_page_asks_for_a_deliberate_confirmation_before_replacing_final_figures(client_for, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    run_path(SURREY_REGISTER)
    ks2 = PERFORMANCE / "dfe_ptables_2018-19_936_surrey_ks2final.csv"
    run_path(ks2)
    data = ks2.read_bytes()
    line = next(row for row in data.split(b"\r\n") if b",145543," in row)
    revised = data.replace(line, line.replace(b",78%,", b",80%,", 1))
    admin = client_for("admin")
    response = admin.post("/dashboard/imports/upload/", {"file": SimpleUploadedFile("ks2_revised.csv", revised)})
    record = ImportRecord.objects.latest("pk")
    page = admin.get(response["Location"]).content.decode()
    assert "This file would change 1 figure already imported as final for 2018/19" in page
    assert "Wyke Primary School: 78 to 80" in page and 'name="replace"' in page
    before = fingerprint()
    admin.post(f"/dashboard/imports/{record.pk}/confirm/", {"action": "confirm"})
    record.refresh_from_db()
    assert record.status == "previewed" and fingerprint() == before
    assert "Tick" in admin.get(f"/dashboard/imports/{record.pk}/").content.decode()
    admin.post(f"/dashboard/imports/{record.pk}/confirm/", {"action": "confirm", "replace": "yes"})
    record.refresh_from_db()
    assert record.status == "done", record.message
    assert Value.objects.get(school__urn=145543, measure__code="ks2_rwm_exp", year=2018).value == 80.0
