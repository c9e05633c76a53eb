"""The demo partnership's ratings: every priority appears, and loading twice changes nothing."""

import io

import pytest

from dashboard import demo
from dashboard.models import RatingRun, SchoolRating

pytestmark = pytest.mark.django_db


def test_the_demo_shows_all_three_priorities_and_a_second_load_changes_nothing(settings, tmp_path):
    from schools import demo as schools_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    schools_demo.load(folder=tmp_path / "demo")
    out = io.StringIO()
    run = demo.load(stdout=out)
    assert run.status == RatingRun.Status.DONE and run.year == 2024
    priorities = set(SchoolRating.objects.filter(run=run).values_list("priority", flat=True))
    assert {"1", "2", "3"} <= priorities
    assert "Priority 1" in out.getvalue()
    before = (RatingRun.objects.count(), SchoolRating.objects.count())
    again = demo.load(stdout=io.StringIO())
    assert again == run and (RatingRun.objects.count(), SchoolRating.objects.count()) == before
