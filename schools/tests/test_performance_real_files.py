"""Every real DfE file imports through the pipeline; values attach where the register has the schools."""

import csv

import pytest

from schools.imports import profiles
from schools.models import Benchmark, ImportRecord, Measure, School, Value, ValueChange
from schools.tests.perf_support import (
    PERFORMANCE,
    fingerprint,
    import_bytes,
    import_path,
    load_surrey_register,
    perf_file,
)
from schools.tests.test_performance_profiles import OTHER_KINDS, REAL_FILES

pytestmark = pytest.mark.django_db

KS2_2018 = "dfe_ptables_2018-19_936_surrey_ks2final.csv"
KS4_2018 = "dfe_ptables_2018-19_936_surrey_ks4final.csv"
HERTS_ABS = "dfe_ptables_2023-24_919_hertfordshire_abs.csv"


@pytest.fixture
def surrey(settings):
    settings.PARTNERSHIP_LA_CODES = ["936"]
    load_surrey_register()


def file_row(name, urn):
    with open(perf_file(name), encoding="utf-8-sig", newline="") as fh:
        return next(r for r in csv.DictReader(fh) if r["URN"].strip() == str(urn))


def value(urn, code, year):
    return Value.objects.get(school__urn=urn, measure__code=code, year=year)


def bench(code, year, area, la_code="", phase=""):
    return Benchmark.objects.get(measure__code=code, year=year, area=area, la_code=la_code, phase=phase)


def test_it_creates_the_agreed_measures():
    codes = set(Measure.objects.values_list("code", flat=True))
    assert {"ks2_rwm_exp", "ks2_read_prog", "ks4_att8", "ks4_p8", "ks4_basics_95", "abs_overall", "abs_persistent",
            "suspension_rate", "perm_exclusion_rate", "pupils", "fsm_percent", "sen_percent", "eal_percent"} <= codes
    core = set(Measure.objects.filter(is_core=True).values_list("code", flat=True))
    assert core == {"ks2_rwm_exp", "ks2_read_prog", "ks2_writ_prog", "ks2_mat_prog", "ks4_att8", "ks4_p8",
                    "ks4_basics_95", "abs_overall", "abs_persistent"}
    assert set(Measure.objects.values_list("min_cohort", flat=True)) == {11}
    assert Measure.objects.get(code="abs_overall").polarity == Measure.Polarity.LOWER


def test_it_imports_every_real_file_and_refuses_the_ones_it_does_not_import(surrey):
    for path in sorted(PERFORMANCE.glob("*.csv")):
        record = import_path(path)
        if path.name in OTHER_KINDS:
            assert record.status == ImportRecord.Status.DONE, record.message
            assert (record.kind, record.academic_year) == OTHER_KINDS[path.name]
        else:
            kind, year, profile, *_ = REAL_FILES[path.name]
            assert record.status == ImportRecord.Status.DONE, record.message
            assert (record.kind, record.academic_year, record.profile) == (kind, year, profile)


def test_it_attaches_surrey_ks2_values_with_cohort_and_source(surrey):
    record = import_path(perf_file(KS2_2018))
    row = file_row(KS2_2018, 145543)
    assert row["PTRWM_EXP"] == "78%"
    v = value(145543, "ks2_rwm_exp", 2018)
    assert (v.value, v.marker, v.cohort, v.source_id) == (78.0, "", int(row["TELIG"]), record.pk)
    assert value(145543, "ks2_read_prog", 2018).value == float(row["READPROG"])
    assert record.report["summary"]["schools in the register"] == 216
    assert record.report["warning_counts"]["unknown_urn"] == 23


def test_it_keeps_markers_as_markers_never_zero(surrey):
    import_path(perf_file(KS2_2018))
    import_path(perf_file(KS4_2018))
    suppressed = value(138766, "ks2_rwm_exp", 2018)  # Wishmore Cross Academy: SUPP, 3 pupils
    assert (suppressed.value, suppressed.marker, suppressed.cohort) == (None, "SUPP", 3)
    not_published = value(125320, "ks4_p8", 2018)  # independent school: Progress 8 NP
    assert (not_published.value, not_published.marker) == (None, "NP")
    assert not Value.objects.filter(marker="").filter(value__isnull=True).exists()
    assert Value.objects.exclude(marker="").filter(value__isnull=False).count() == 0


def test_it_imports_surrey_ks4_p8_and_the_la_and_england_rows_as_benchmarks(surrey):
    import_path(perf_file(KS4_2018))
    row = file_row(KS4_2018, 139948)
    assert value(139948, "ks4_p8", 2018).value == float(row["P8MEA"]) == 0.22
    assert value(139948, "ks4_basics_95", 2018).value == 34.0  # "34%"
    assert value(139948, "ks4_att8", 2018).cohort == int(row["TPUP"])
    assert bench("ks4_att8", 2018, "la", "936").value == 50.3
    assert bench("ks4_att8", 2018, "england").value == 46.7  # RECTYPE 7, state-funded
    assert bench("ks4_att8", 2018, "england_all").value == 44.7  # RECTYPE 5, all schools
    assert bench("ks4_p8", 2018, "england_all").marker == "BLANK"
    assert bench("ks4_basics_95", 2018, "england").value == 43.0


def test_it_imports_benchmarks_and_lists_unknown_schools_when_the_register_has_none(surrey):
    record = import_path(perf_file(HERTS_ABS))
    assert record.status == ImportRecord.Status.DONE
    assert Value.objects.count() == 0
    assert bench("abs_overall", 2023, "la", "919", "PRI").value == 5.4
    assert bench("abs_persistent", 2023, "england", "", "SEC").value == 25.6
    assert bench("abs_overall", 2023, "england", "", "SPE").value == 13.0
    report = record.report
    assert report["summary"]["note"] == "no schools of the partnership in this file"
    assert report["warning_counts"]["unknown_urn"] == 512
    assert any("117083" in w["message"] and w["row"] == 2 for w in report["warnings"])
    assert record.rows_skipped == 512


@pytest.mark.parametrize("name, benchmarks", [
    ("dfe_ptables_2017-18_815_northyorks_ks4final.csv", 3 * 4),
    ("dfe_ptables_2018-19_815_northyorks_census.csv", 6 * 4),
    ("dfe_ptables_2017-18_815_northyorks_census.csv", 4 * 4),
    ("EXTRACT_851_portsmouth_dfe_ptables_2018-19_ks4provisional.csv", 1 * 4),
    ("EXTRACT_851_portsmouth_dfe_ptables_2018-19_abs.csv", 0),
    ("EXTRACT_851_portsmouth_dfe_ptables_2018-19_census.csv", 0),
])
def test_it_imports_other_las_files_as_benchmarks_only(surrey, name, benchmarks):
    record = import_path(perf_file(name))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert Value.objects.count() == 0
    assert Benchmark.objects.count() == benchmarks
    assert record.report["summary"]["note"] == "no schools of the partnership in this file"
    assert record.report["warning_counts"]["unknown_urn"] == REAL_FILES[name][4]


def test_it_reads_north_yorkshire_census_context(surrey):
    import_path(perf_file("dfe_ptables_2018-19_815_northyorks_census.csv"))
    assert bench("pupils", 2018, "la", "815", "PRI").value == 45523
    assert bench("sen_percent", 2018, "england", "", "SEC").value == pytest.approx(1.7 + 10.8)
    assert bench("fsm_percent", 2018, "england", "", "SPE").value == 50.3


def test_it_changes_nothing_when_the_same_files_are_imported_again(surrey):
    names = [KS2_2018, KS4_2018, HERTS_ABS, "dfe_ptables_2017-18_936_surrey_ks2final.csv"]
    for name in names:
        import_path(perf_file(name))
    before = fingerprint()
    for name in names:
        record = import_path(perf_file(name))
        assert record.status == ImportRecord.Status.DONE
        assert record.rows_written == 0
        assert record.report["new"] == record.report["changed"] == 0
    assert fingerprint() == before
    assert ValueChange.objects.count() == 0


def test_a_newer_file_for_the_same_year_replaces_values_and_keeps_the_history(surrey):
    first = import_path(perf_file(KS2_2018))
    data = perf_file(KS2_2018).read_bytes()
    row = file_row(KS2_2018, 145543)
    old_line = next(line for line in data.split(b"\r\n") if b",145543," in line)
    new_line = old_line.replace(b",78%,", b",80%,", 1)
    assert new_line != old_line
    revised = data.replace(old_line, new_line)
    # Final figures already imported: without a deliberate confirmation nothing is written.
    before = fingerprint()
    refused = import_bytes(revised, "dfe_ptables_2018-19_936_surrey_ks2final_revised.csv")
    assert refused.status == ImportRecord.Status.REFUSED
    assert "would change 1 figures already imported as final for 2018/19" in refused.message
    assert "Wyke Primary School: 78 to 80" in refused.message
    assert refused.report["replace"]["count"] == 1
    assert fingerprint() == before
    second = import_bytes(revised, "dfe_ptables_2018-19_936_surrey_ks2final_revised.csv", replace=True)
    assert second.status == ImportRecord.Status.DONE, second.message
    assert second.report["changed"] == 1 and second.rows_written == 1
    assert value(145543, "ks2_rwm_exp", 2018).value == 80.0
    assert value(145543, "ks2_rwm_exp", 2018).source_id == second.pk
    change = ValueChange.objects.get()
    assert (change.school.urn, change.measure.code, change.year) == (145543, "ks2_rwm_exp", 2018)
    assert (change.old_value, change.new_value, change.old_source_id, change.source_id) == (78.0, 80.0, first.pk, second.pk)
    assert row["PTRWM_EXP"] == "78%"


def test_provisional_figures_do_not_replace_final_ones(surrey):
    import_path(perf_file(KS4_2018))
    england = list(Benchmark.objects.exclude(area="la").order_by("pk").values_list())
    record = import_path(perf_file("dfe_ptables_2018-19_815_northyorks_ks4provisional.csv"))
    assert record.status == ImportRecord.Status.DONE
    assert list(Benchmark.objects.exclude(area="la").order_by("pk").values_list()) == england
    assert record.report["summary"]["final figures kept"] == 8  # two England rows x four measures
    assert record.report["warning_counts"]["final_kept"] == 1
    assert bench("ks4_att8", 2018, "la", "815").value == 48.6  # North Yorkshire's own row is new
    assert ValueChange.objects.count() == 0
    assert bench("ks4_att8", 2018, "england_all").value == 44.7  # the final figure, not provisional 44.5


def test_a_final_file_replaces_provisional_benchmarks_with_history(surrey):
    import_path(perf_file("dfe_ptables_2018-19_815_northyorks_ks4provisional.csv"))
    assert bench("ks4_att8", 2018, "england_all").value == 44.5
    import_path(perf_file(KS4_2018))
    assert bench("ks4_att8", 2018, "england_all").value == 44.7
    change = ValueChange.objects.get(benchmark_area="england_all", measure__code="ks4_att8")
    assert (change.old_value, change.new_value, change.school) == (44.5, 44.7, None)


def test_it_updates_ofsted_from_graded_outcomes_only(surrey):
    la = School.objects.first().la
    School.objects.create(urn=100000, la=la, name="The Aldgate School", ofsted_rating="Good")
    School.objects.create(urn=100005, la=la, name="Thomas Coram Centre", ofsted_rating="Outstanding")
    School.objects.create(urn=100025, la=la, name="Gospel Oak Primary School", ofsted_rating="Outstanding")
    record = import_path(perf_file(REAL_FILES_OFSTED))
    assert record.status == ImportRecord.Status.DONE, record.message
    aldgate = School.objects.get(urn=100000)
    assert (aldgate.ofsted_rating, str(aldgate.ofsted_date)) == ("Outstanding", "2024-06-12")
    assert School.objects.get(urn=100005).ofsted_rating == "Outstanding"  # ungraded: unchanged
    gospel = School.objects.get(urn=100025)
    assert gospel.ofsted_rating == "Outstanding"  # report card: kept apart from the old grade
    card = {v.measure.code: v for v in Value.objects.filter(school=gospel)}
    assert card["ofsted_rc_achievement"].value == 2.0 and card["ofsted_rc_achievement"].year == 2025
    assert card["ofsted_rc_post16"].marker == "NA"
    assert not Value.objects.filter(school__urn__in=[100000, 100005]).exists()
    assert import_path(perf_file(REAL_FILES_OFSTED)).rows_written == 0


REAL_FILES_OFSTED = "ofsted_mi_state_funded_latest_inspections_as_at_2026-05-31_EXTRACT_4rows.csv"


def test_it_imports_ees_suspension_rates(surrey):
    la = School.objects.first().la
    School.objects.create(urn=141627, la=la, name="West View Primary School")
    record = import_path(perf_file("ees_suspensions_exclusions_school_level_autumn2024-25_PREVIEW_3rows.csv"))
    assert record.status == ImportRecord.Status.DONE
    v = value(141627, "suspension_rate", 2024)
    assert (v.value, v.cohort) == (0.43956, 455)
    assert value(141627, "perm_exclusion_rate", 2024).value == 0.0
    assert record.report["warning_counts"]["unknown_urn"] == 2


def test_profiles_know_the_record_types_in_the_dfe_metadata():
    meta = PERFORMANCE.parent / "meta"
    ks2 = (meta / "meta_2018-19_ks2_meta.csv").read_text(encoding="utf-8-sig")
    assert "3=Local Authority; 4=National (all schools); 5=National (state-funded schools only)" in ks2
    assert profiles.KS2_RECTYPES == {"1": "school", "2": "school", "3": "la", "4": "england_all", "5": "england"}
    ks4 = (meta / "meta_2017-18_ks4_final_meta.csv").read_text(encoding="utf-8-sig")
    assert "4=local authority; 5=National (all schools); 7=National (maintained schools)" in ks4
    assert profiles.KS4_RECTYPES == {"1": "school", "2": "school", "4": "la", "5": "england_all", "7": "england"}
