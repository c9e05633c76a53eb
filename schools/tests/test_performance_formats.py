"""Layouts seen in DfE/Ofsted/EES files beyond the stored samples: the older Ofsted MI, EES summary rows."""

from datetime import date

import pytest

from schools.models import Benchmark, ImportRecord, LocalAuthority, School, Value
from schools.tests.perf_support import import_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(settings):
    settings.PARTNERSHIP_LA_CODES = ["899"]
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    return [School.objects.create(urn=urn, la=la, name=f"School {urn}") for urn in (100001, 100002, 100003)]


def test_the_older_single_grade_ofsted_file_updates_graded_outcomes(schools):
    data = (b"URN,School name,Inspection start date,Overall effectiveness,Category of concern\n"
            b"100001,School 100001,14/03/2023,2,\n"
            b"100002,School 100002,02/02/2022,4,Special Measures\n"
            b"100003,School 100003,NULL,NULL,\n")
    record = import_bytes(data, "ofsted_mi_state_funded_schools_as_at_31_august_2023.csv", kind="ofsted")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.profile == "ofsted_mi_legacy"
    got = {s.urn: (s.ofsted_rating, s.ofsted_date) for s in School.objects.all()}
    assert got == {100001: ("Good", date(2023, 3, 14)), 100002: ("Special Measures", date(2022, 2, 2)),
                   100003: ("", None)}
    assert not Value.objects.exists()  # no report cards in the old format


def test_an_older_ofsted_file_does_not_overwrite_a_later_inspection(schools):
    School.objects.filter(urn=100001).update(ofsted_rating="Outstanding", ofsted_date=date(2024, 5, 1))
    data = b"URN,Inspection start date,Overall effectiveness\n100001,14/03/2023,3\n"
    record = import_bytes(data, "ofsted_mi_as_at_2023-08-31.csv", kind="ofsted")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert School.objects.get(urn=100001).ofsted_rating == "Outstanding"


def test_ees_national_and_la_rows_become_benchmarks(schools):
    data = (b"time_period,time_identifier,geographic_level,country_code,old_la_code,school_urn,education_phase,"
            b"headcount,suspension,susp_rate,perm_excl,perm_excl_rate\n"
            b"202324,Academic year,National,E92000001,,,Total,8000000,787000,9.33,9400,0.11\n"
            b"202324,Academic year,Local authority,E92000001,899,,Total,40000,3200,8.0,30,0.08\n"
            b"202324,Academic year,Regional,E92000001,,,Total,900000,80000,8.9,900,0.1\n"
            b"202324,Academic year,School,E92000001,899,100001,State-funded secondary,1100,300,27.27,2,0.18\n"
            b"202324,Academic year,School,E92000001,899,100002,State-funded primary,400,c,c,0,0\n")
    record = import_bytes(data, "ees_suspensions_exclusions_school_level_2023-24.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert Benchmark.objects.get(area="england", measure__code="suspension_rate", year=2023).value == 9.33
    assert Benchmark.objects.get(area="la", la_code="899", measure__code="perm_exclusion_rate", year=2023).value == 0.08
    v = Value.objects.get(school__urn=100001, measure__code="suspension_rate", year=2023)
    assert (v.value, v.cohort) == (27.27, 1100)
    assert Value.objects.get(school__urn=100002, measure__code="suspension_rate").marker == "c"
    assert record.rows_skipped == 1  # the regional row


def test_a_suspension_rate_over_100_is_a_rate_not_a_percentage(schools):
    data = (b"time_period,time_identifier,geographic_level,school_urn,headcount,susp_rate,perm_excl_rate\n"
            b"202324,Academic year,School,100001,40,137.5,2.5\n")
    record = import_bytes(data, "ees_suspensions_exclusions_school_level_2023-24.csv")
    assert record.status == ImportRecord.Status.DONE, record.message
    assert Value.objects.get(measure__code="suspension_rate").value == 137.5
