"""The demo partnership reads as real data would: no closed school with a recent inspection, no infant
school with key stage 2 results, and every import record adds up."""

import pytest
from django.core.management import call_command

from schools.models import ImportRecord, School, Value

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_closed_schools_have_no_recent_inspection_and_infant_schools_no_ks2(demo):
    closed = School.objects.filter(status=School.Status.CLOSED)
    assert closed.exists()
    assert not closed.filter(ofsted_date__year__gte=2024).exists()
    assert not Value.objects.filter(school__status=School.Status.CLOSED).exists()
    infants = School.objects.filter(name__endswith="Infant School")
    assert infants.exists() and set(infants.values_list("high_age", flat=True)) == {7}
    assert not Value.objects.filter(school__in=infants, measure__kind="ks2").exists()
    juniors = School.objects.filter(name__endswith="Junior School", status=School.Status.OPEN)
    assert not juniors.exists() or Value.objects.filter(school__in=juniors, measure__kind="ks2").exists()


def test_every_import_record_adds_up(demo):
    records = list(ImportRecord.objects.filter(status=ImportRecord.Status.DONE))
    assert len(records) >= 15
    for r in records:
        new, changed, unchanged = (r.report.get(k, 0) for k in ("new", "changed", "unchanged"))
        assert r.rows_read == new + changed + unchanged + r.rows_skipped + r.rows_rejected, r.file_name
        assert r.rows_written == new + changed, r.file_name
