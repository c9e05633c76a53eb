"""Profiles and cell parsing on the real DfE headers, without the database."""

import csv
import io

import pytest

from schools import measures
from schools.imports import parsing, profiles
from schools.imports.cells import CellError, parse_cell
from schools.imports.profiles import ProfileError
from schools.tests.perf_support import PERFORMANCE

# The parser is given each measure's unit from the measure catalogue (it never reads the database itself).
pytestmark = pytest.mark.django_db

# file -> (kind, year, profile name, where the year came from, school rows, summary rows)
REAL_FILES = {
    "dfe_ptables_2016-17_936_surrey_ks2final.csv": ("ks2", 2016, "ks2_final_2016", "header", 232, 3),
    "dfe_ptables_2017-18_936_surrey_ks2final.csv": ("ks2", 2017, "ks2_final_2017", "header", 235, 3),
    "dfe_ptables_2018-19_936_surrey_ks2final.csv": ("ks2", 2018, "ks2_final_2018", "header", 239, 3),
    "dfe_ptables_2016-17_936_surrey_ks4final.csv": ("ks4", 2016, "ks4_final_2016", "header", 127, 3),
    "dfe_ptables_2017-18_936_surrey_ks4final.csv": ("ks4", 2017, "ks4_final_2017", "header", 127, 3),
    "dfe_ptables_2018-19_936_surrey_ks4final.csv": ("ks4", 2018, "ks4_final_2018", "header", 130, 3),
    "dfe_ptables_2017-18_815_northyorks_ks4final.csv": ("ks4", 2017, "ks4_final_2017", "header", 70, 3),
    "dfe_ptables_2018-19_815_northyorks_ks4provisional.csv": ("ks4", 2018, "ks4_provisional_2018", "file name", 72, 3),
    "EXTRACT_851_portsmouth_dfe_ptables_2018-19_ks4provisional.csv": ("ks4", 2018, "ks4_provisional_2018", "file name", 18, 1),
    "EXTRACT_851_portsmouth_dfe_ptables_2018-19_abs.csv": ("absence", 2018, "absence_2018", "file name", 65, 0),
    "dfe_ptables_2023-24_919_hertfordshire_abs.csv": ("absence", 2023, "absence_2023", "file name", 512, 6),
    "EXTRACT_851_portsmouth_dfe_ptables_2018-19_census.csv": ("census", 2018, "census_2018", "file name", 69, 0),
    "dfe_ptables_2017-18_815_northyorks_census.csv": ("census", 2017, "census_2017", "file name", 382, 4),
    "dfe_ptables_2018-19_815_northyorks_census.csv": ("census", 2018, "census_2018", "file name", 388, 6),
    "ees_suspensions_exclusions_school_level_autumn2024-25_PREVIEW_3rows.csv": ("suspensions", 2024, "suspensions_2024", "file name", 3, 0),
    "ofsted_mi_state_funded_latest_inspections_as_at_2026-05-31_EXTRACT_4rows.csv": ("ofsted", 2025, "ofsted_mi", "file date", 4, 0),
}
REAL_FILES["EXTRACT_851_portsmouth_dfe_ptables_ks4-pupdest.csv"] = (
    "ks4_destinations", 2017, "ks4_destinations_2017", "header", 12, 1)
# Real files imported by kinds outside the profiles (schools/imports/mat_and_school_info.py): file -> (kind, year).
OTHER_KINDS = {
    "dfe_ptables_2024-25_england_ks4-mats-performance_EXTRACT_4rows.csv": ("ks4_mats", 2024),
    "dfe_ptables_815_northyorks_spine_school_information.csv": ("school_information", None),
}


def read(name):
    text = (PERFORMANCE / name).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [h.strip() for h in rows[0]], rows[1:]


def parse(name, **kwargs):
    header, rows = read(name)
    return parsing.parse_file_rows(header, rows, list(range(2, len(rows) + 2)), name, units=measures.units(), **kwargs)


def test_it_knows_every_real_performance_file():
    assert set(REAL_FILES) | set(OTHER_KINDS) == {p.name for p in PERFORMANCE.glob("*.csv")}


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_it_recognises_kind_year_and_profile_of_each_real_file(name):
    kind, year, profile, source, schools, summaries = REAL_FILES[name]
    parsed = parse(name)
    assert parsed.error_count == 0, parsed.errors
    assert (parsed.recognised.kind, parsed.year, parsed.recognised.profile.name) == (kind, year, profile)
    assert parsed.recognised.year_source == source
    assert (len(parsed.schools), len(parsed.benchmarks)) == (schools, summaries)


@pytest.mark.parametrize("name", sorted(OTHER_KINDS))
def test_it_leaves_mat_and_school_information_files_to_their_own_kinds(name):
    header, _ = read(name)
    with pytest.raises(ProfileError) as exc:
        profiles.recognise(header, name)
    assert "cannot be recognised" in str(exc.value)


@pytest.mark.parametrize("text, unit, expected", [
    ("45.50%", "percent", (45.5, "")),
    ("52%", "percent", (52.0, "")),
    ("45.5", "percent", (45.5, "")),
    ("100%", "percent", (100.0, "")),
    ("-0.41", "score", (-0.41, "")),
    ("0%", "percent", (0.0, "")),
    ("SUPP", "percent", (None, "SUPP")),
    ("NE", "score", (None, "NE")),
    ("NP", "score", (None, "NP")),
    ("NA", "score", (None, "NA")),
    ("NEW", "count", (None, "NEW")),
    ("LOWCOV", "score", (None, "LOWCOV")),
    ("SP", "percent", (None, "SP")),
    ("", "percent", (None, "BLANK")),
    (" ", "percent", (None, "BLANK")),
    ("c", "rate", (None, "c")),
    ("x", "rate", (None, "x")),
    ("z", "rate", (None, "z")),
    ("low", "rate", (None, "low")),
    ("u", "rate", (None, "u")),
    (":", "rate", (None, ":")),
    ("NULL", "grade", (None, "NULL")),
    ("0.43956", "rate", (0.43956, "")),
    ("120", "rate", (120.0, "")),
])
def test_it_reads_numbers_percent_strings_and_every_marker(text, unit, expected):
    assert parse_cell(text, unit) == expected


@pytest.mark.parametrize("text, unit, words", [
    ("100.5%", "percent", "over 100"),
    ("101", "percent", "over 100"),
    ("-3%", "percent", "below 0"),
    ("n/a", "percent", "neither a number nor a known marker"),
    ("12,5", "score", "neither a number nor a known marker"),
    ("SUPPRESSED", "score", "neither a number nor a known marker"),
])
def test_it_refuses_cells_that_are_neither_number_nor_marker(text, unit, words):
    with pytest.raises(CellError) as exc:
        parse_cell(text, unit)
    assert words in str(exc.value)
    assert exc.value.expected


def test_it_reads_the_year_of_a_ks_file_from_its_previous_years_columns():
    header, _ = read("dfe_ptables_2017-18_936_surrey_ks2final.csv")
    assert profiles.year_from_header("ks2", header) == 2017
    assert profiles.recognise(header, "anything.csv").year == 2017
    with pytest.raises(ProfileError, match="header is that of 2017/18"):
        profiles.recognise(header, "anything.csv", year=2018)


def test_it_takes_the_year_from_the_file_name_in_its_usual_spellings():
    assert profiles.year_from_name("dfe_ptables_2018-19_abs.csv") == 2018
    assert profiles.year_from_name("2018-2019_936_ks4final.csv") == 2018
    assert profiles.year_from_name("autumn2024-25_PREVIEW.csv") == 2024
    assert profiles.year_from_name("england_abs.csv") is None
    assert profiles.year_from_name("as_at_2026-05-31.csv") is None


def test_it_maps_columns_by_name_not_position():
    header, rows = read("dfe_ptables_2018-19_936_surrey_ks2final.csv")
    # Reverse the column order: the same figures must come out.
    flipped_header = list(reversed(header))
    flipped_rows = [list(reversed(r + [""] * (len(header) - len(r)))) for r in rows]
    a = parsing.parse_file_rows(header, rows, list(range(2, len(rows) + 2)), "x_2018-19_ks2.csv", units=measures.units())
    b = parsing.parse_file_rows(flipped_header, flipped_rows, list(range(2, len(rows) + 2)), "x_2018-19_ks2.csv", units=measures.units())
    assert a.schools[145543].values == b.schools[145543].values
    assert a.schools[145543].values["ks2_rwm_exp"] == (78.0, "")


def test_it_reads_summary_rows_as_la_and_england_benchmarks():
    parsed = parse("dfe_ptables_2018-19_936_surrey_ks2final.csv")
    bench = {b.key: b for b in parsed.benchmarks}
    assert bench[("la", "936", "")].values["ks2_rwm_exp"] == (70.0, "")
    assert bench[("england", "", "")].values["ks2_rwm_exp"] == (65.0, "")  # RECTYPE 5: state-funded
    assert bench[("england", "", "")].cohort == 644967
    assert bench[("england_all", "", "")].cohort == 649249  # RECTYPE 4: all schools
    ks4 = {b.key: b for b in parse("dfe_ptables_2017-18_936_surrey_ks4final.csv").benchmarks}
    assert ks4[("england", "", "")].values["ks4_att8"] == (46.5, "")  # RECTYPE 7
    assert ks4[("england_all", "", "")].values["ks4_att8"] == (44.5, "")  # RECTYPE 5
    assert ks4[("la", "936", "")].values["ks4_p8"] == (0.17, "")
    census = {b.key: b for b in parse("dfe_ptables_2018-19_815_northyorks_census.csv").benchmarks}
    assert census[("england", "", "PRI")].values["pupils"] == (4727089.0, "")
    assert census[("la", "815", "SPE")].values["eal_percent"] == (3.1, "")
    absence = {b.key: b for b in parse("dfe_ptables_2023-24_919_hertfordshire_abs.csv").benchmarks}
    assert absence[("england", "", "SEC")].values == {"abs_overall": (8.9, ""), "abs_persistent": (25.6, "")}
    assert absence[("la", "919", "PRI")].values == {"abs_overall": (5.4, ""), "abs_persistent": (13.4, "")}


def test_it_keeps_progress_columns_out_of_ks2_years_without_progress():
    header, rows = read("dfe_ptables_2018-19_936_surrey_ks2final.csv")
    header = [h for h in header if not h.endswith(("_17", "_18"))]  # no previous-years columns
    recognised = profiles.recognise(header, "ks2_2023-24.csv")
    assert recognised.year == 2023
    assert "ks2_read_prog" not in recognised.profile.measure_codes
    p8 = profiles.recognise(["RECTYPE", "LEA", "URN", "TPUP", "ATT8SCR", "PTL2BASICS_95"], "ks4_2024-25.csv")
    assert "ks4_p8" not in p8.profile.measure_codes


def test_it_refuses_ks_years_that_were_never_published():
    with pytest.raises(ProfileError, match="pandemic"):
        profiles.recognise(["RECTYPE", "LEA", "URN", "TELIG", "PTRWM_EXP"], "ks2_2019-20.csv")


def test_it_uses_ppersabs15_for_old_absence_files_and_refuses_it_for_new_years():
    old = profiles.recognise(["LA", "ESTAB", "URN", "PERCTOT", "PPERSABS15"], "england_abs.csv", year=2012)
    assert old.profile.measures[1].columns == ("PPERSABS15",)
    with pytest.raises(ProfileError, match="2014/15 or earlier"):
        profiles.recognise(["LA", "ESTAB", "URN", "PERCTOT", "PPERSABS15"], "england_abs.csv", year=2018)


def test_it_keeps_ofsted_report_card_grades_apart_from_old_grades():
    parsed = parse("ofsted_mi_state_funded_latest_inspections_as_at_2026-05-31_EXTRACT_4rows.csv")
    assert parsed.ofsted[100000].rating == "Outstanding"
    assert str(parsed.ofsted[100000].inspected) == "2024-06-12"
    assert 100005 not in parsed.ofsted  # ungraded only: the last graded outcome stays
    assert 100025 not in parsed.ofsted  # report card only: not an old-style grade
    card = parsed.schools[100025].values
    assert card["ofsted_rc_achievement"] == (2.0, "")  # Strong standard
    assert card["ofsted_rc_attendance"] == (3.0, "")  # Expected standard
    assert card["ofsted_rc_safeguarding"] == (1.0, "")  # Met
    assert card["ofsted_rc_post16"] == (None, "NA")  # Not applicable
    assert parsed.report_card_years == {100025: 2025}
