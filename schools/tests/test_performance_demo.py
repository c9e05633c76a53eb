"""The demo performance files: real layouts, three years, plausible spreads, and an idempotent load."""

import pytest

from schools import demo_performance
from schools.imports import profiles
from schools.models import Benchmark, ImportRecord, School, Value
from schools.tests.perf_support import fingerprint, load_surrey_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def surrey(settings):
    settings.PARTNERSHIP_LA_CODES = ["936"]
    load_surrey_register()


def test_it_writes_and_imports_three_years_in_the_real_layouts(surrey, tmp_path):
    schools = demo_performance.demo_schools()
    assert len(schools) > 300
    paths = demo_performance.write_files(schools, tmp_path)
    assert len(paths) == 13
    assert paths[2].read_bytes().startswith(b"\xef\xbb\xbf")  # KS2 like the DfE download: BOM, CRLF
    records = demo_performance.load(schools=schools, out_dir=tmp_path)
    assert [r.status for r in records] == [ImportRecord.Status.DONE] * 13
    kinds = {(r.kind, r.academic_year) for r in records}
    assert {("ks2", 2022), ("ks2", 2024), ("ks4", 2023), ("absence", 2024), ("census", 2022), ("ofsted", 2025)} <= kinds

    # KS2 progress only in 2022/23; Progress 8 not in 2024/25.
    assert Value.objects.filter(measure__code="ks2_read_prog", year=2022).exists()
    assert not Value.objects.filter(measure__code="ks2_read_prog", year__gte=2023).exists()
    assert Value.objects.filter(measure__code="ks4_p8", year=2023).exists()
    assert not Value.objects.filter(measure__code="ks4_p8", year=2024).exists()
    # Small cohorts suppressed; some schools well below national.
    assert Value.objects.filter(measure__code="ks2_rwm_exp", marker="SUPP").exists()
    england = Benchmark.objects.get(measure__code="ks2_rwm_exp", year=2023, area="england")
    below = Value.objects.filter(measure__code="ks2_rwm_exp", year=2023, value__lt=england.value - 10).count()
    assert below >= 5
    assert Benchmark.objects.filter(area="la", la_code="936", measure__code="abs_overall", year=2024, phase="PRI").exists()
    assert Benchmark.objects.filter(area="england", measure__code="pupils", year=2022, phase="SEC").exists()


def test_demo_files_are_recognised_without_being_told_kind_or_year(surrey, tmp_path):
    schools = demo_performance.demo_schools()[:40]
    for path in demo_performance.write_files(schools, tmp_path):
        text = path.read_bytes().decode("utf-8-sig")
        header = text.splitlines()[0].split(",")
        recognised = profiles.recognise(header, path.name)
        assert recognised.kind in profiles.KINDS


def test_loading_the_demo_twice_changes_nothing(surrey, tmp_path):
    schools = demo_performance.demo_schools()[:60]
    first = {r.pk for r in demo_performance.load(schools=schools, out_dir=tmp_path)}
    before = fingerprint()
    again = demo_performance.load(schools=demo_performance.demo_schools()[:60], out_dir=tmp_path)
    # Files already imported are skipped; a file that differs (none should) would still write nothing.
    assert all(r.pk in first or r.rows_written == 0 for r in again)
    assert fingerprint() == before
    assert School.objects.exclude(ofsted_rating="").exists()
