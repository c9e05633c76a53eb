"""The confirm writes the preview's validated plan when nothing changed since the preview, and validates
the file again (with the profile recognised at the preview) when something did."""

import pytest

from schools.imports import pipeline, profiles, saved_plan
from schools.models import ImportRecord, School
from schools.tests.perf_support import load_surrey_register, perf_file
from schools.tests.test_register_import import ROWS, register

pytestmark = pytest.mark.django_db

KS2_2018 = "dfe_ptables_2018-19_936_surrey_ks2final.csv"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def validations(monkeypatch):
    """How many times the register kind validated a file."""
    kind = pipeline.get_kind("gias_establishments")
    calls = []
    original = kind.validate

    def counted(ctx):
        calls.append(ctx.file_name)
        return original(ctx)

    monkeypatch.setattr(kind, "validate", counted)
    return calls


@pytest.fixture
def recognitions(monkeypatch):
    """How many times a performance file's profile was recognised."""
    calls = []
    original = profiles.recognise

    def counted(*args, **kwargs):
        calls.append(args[1] if len(args) > 1 else kwargs.get("file_name"))
        return original(*args, **kwargs)

    monkeypatch.setattr(profiles, "recognise", counted)
    return calls


def previewed(data, name):
    record = pipeline.preview(data, name, source="web")
    assert record.status == ImportRecord.Status.PREVIEWED, record.message
    return record


def test_an_unchanged_register_confirm_writes_the_previews_plan(validations):
    from django.core.files.storage import default_storage

    record = previewed(register(*ROWS), "edubasealldata.csv")
    kept = record.report["saved_plan"]["file"]
    record = pipeline.confirm(ImportRecord.objects.get(pk=record.pk))
    assert not default_storage.exists(kept)  # spent once written
    assert record.status == ImportRecord.Status.DONE, record.message
    assert validations == ["edubasealldata.csv"]  # the preview's only
    assert record.rows_written == 3 and School.objects.count() == 3
    assert record.report["new"] == 3


def test_a_register_changed_since_the_preview_is_validated_again(validations):
    record = previewed(register(*ROWS), "edubasealldata.csv")
    # Another file imported in between adds the first school: confirming now would write two.
    other = pipeline.run_file(register(ROWS[0]), "edubase_first.csv")
    assert other.status == ImportRecord.Status.DONE, other.message
    record = pipeline.confirm(ImportRecord.objects.get(pk=record.pk))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert validations == ["edubasealldata.csv", "edubase_first.csv", "edubasealldata.csv"]
    assert (record.report["new"], record.report["unchanged"], record.rows_written) == (2, 1, 2)
    assert School.objects.count() == 3


def test_other_partnership_la_codes_are_validated_again(validations):
    record = previewed(register(*ROWS), "edubasealldata.csv")
    record = pipeline.confirm(ImportRecord.objects.get(pk=record.pk), la_codes=["123"])
    assert len(validations) == 2
    assert record.status == ImportRecord.Status.REFUSED and School.objects.count() == 0


def test_a_saved_plan_that_does_not_verify_is_never_used(validations):
    from django.core.files.storage import default_storage

    record = previewed(register(*ROWS), "edubasealldata.csv")
    name = record.report["saved_plan"]["file"]
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    default_storage.delete(name)
    default_storage.save(name, __import__("io").BytesIO(b"0" * 64 + data[64:]))
    assert saved_plan.load(record) is None
    record = pipeline.confirm(ImportRecord.objects.get(pk=record.pk))
    assert record.status == ImportRecord.Status.DONE and len(validations) == 2


def test_a_performance_files_profile_is_recognised_once_over_preview_and_confirm(settings, recognitions):
    settings.PARTNERSHIP_LA_CODES = ["936"]
    load_surrey_register()
    record = previewed(perf_file(KS2_2018).read_bytes(), KS2_2018)
    record = pipeline.confirm(ImportRecord.objects.get(pk=record.pk))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert recognitions == [KS2_2018]


def test_the_profile_is_carried_to_a_confirm_that_validates_again(settings, recognitions):
    settings.PARTNERSHIP_LA_CODES = ["936"]
    load_surrey_register()
    record = previewed(perf_file(KS2_2018).read_bytes(), KS2_2018)
    School.objects.filter(pk=School.objects.order_by("pk").first().pk).update(name="Renamed")  # a school saved
    School.objects.order_by("pk").first().save()
    record = pipeline.confirm(ImportRecord.objects.get(pk=record.pk))
    assert record.status == ImportRecord.Status.DONE, record.message
    assert record.report["new"] > 0
    assert recognitions == [KS2_2018]


def test_a_unit_edited_since_the_preview_is_validated_again(settings, recognitions):
    """The plan was checked with the units of its preview: after an admin's unit edit it is checked again."""
    from schools.models import Measure

    settings.PARTNERSHIP_LA_CODES = ["936"]
    load_surrey_register()
    record = previewed(perf_file(KS2_2018).read_bytes(), KS2_2018)
    assert saved_plan.reusable(record, ["936"]) is not None
    Measure.objects.filter(code="ks2_read_prog").update(unit="percent")
    assert saved_plan.reusable(ImportRecord.objects.get(pk=record.pk), ["936"]) is None
