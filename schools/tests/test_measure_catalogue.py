"""One measure catalogue: the Measure table, edited in the Django admin, is what ratings and strategy
targets read, and imports check cells by its units. An admin's edit shows in all three at once;
nothing keeps a copy of its own."""

import pytest
from django.urls import reverse

from dashboard import runs
from dashboard.models import CurrentRun, MeasureRating
from dashboard.ratings import UnknownMeasure
from dashboard.tests import factories as f
from dashboard.tests.catalogue import CATALOGUE
from schools.measures import catalogue
from schools.models import Benchmark, Measure
from strategy.models import Strategy, Target
from strategy.progress import recompute_target

pytestmark = pytest.mark.django_db


def edit_in_admin(client, code, **changes):
    """Post the measure's admin change form as an admin would: every field as the form shows it, changed."""
    measure = Measure.objects.get(code=code)
    url = reverse("admin:schools_measure_change", args=[measure.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    # A ticked box is posted as "on"; an unticked one not at all.
    data = {name: ("on" if value is True else value) for name, value in data.items() if value not in (False, None)}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    measure.refresh_from_db()
    return measure


def absence_band(school):
    rating = MeasureRating.objects.get(school_rating__run=CurrentRun.get(), school_rating__school=school,
                                       measure_code="abs_overall")
    return rating.band, rating.rule


def test_an_admins_polarity_edit_changes_the_rating_bands(client_for):
    f.standard_benchmarks()
    school = f.school("Low Absence Primary")
    f.values(school, 2018, ks2_rwm_exp=70.0, abs_overall=2.0)  # England (primary) 4.0
    runs.run_ratings()
    assert absence_band(school) == ("green", "green at or below national; amber up to national + 1; red above")

    measure = edit_in_admin(client_for("admin"), "abs_overall", polarity="higher")
    assert measure.polarity == "higher"
    runs.run_ratings()
    assert absence_band(school) == ("red", "green at or above national; amber down to national - 1; red below")


def test_an_admins_polarity_edit_changes_how_a_strategy_target_is_judged(client_for, settings):
    la = f.partnership_la().code
    measure = Measure.objects.get(code="abs_overall")
    for year in (2016, 2017, 2018):
        Benchmark.objects.create(area="la", la_code=la, measure=measure, year=year, value=3.0)
        Benchmark.objects.create(area="england", measure=measure, year=year, value=4.0)
    strategy = Strategy.objects.create(title="Attendance first", start_year=2016, end_year=2019)
    target = Target.objects.create(strategy=strategy, title="Absence at or below England", kind="at_or_better",
                                   source="la", measure=measure, baseline_year=2016, target_year=2019)
    assert recompute_target(target).status == "met"  # lower is better: 3% is better than England's 4%

    edit_in_admin(client_for("admin"), "abs_overall", polarity="higher")
    target = Target.objects.select_related("measure").get(pk=target.pk)
    assert target.lower_is_better is False
    assert recompute_target(target).status != "met"  # higher is better now: 3% is behind England's 4%


def test_an_admins_label_edit_shows_in_the_rating_reasons(client_for):
    p1, _, _ = f.three_priorities()
    edit_in_admin(client_for("admin"), "ks2_rwm_exp", reasons_label="Reading, writing and maths")
    runs.run_ratings()
    reasons = p1.ratings.get(run=CurrentRun.get()).reasons
    assert "Reading, writing and maths 48% vs 65% national (2018/19)" in reasons


def test_the_engine_tests_rate_with_the_seeded_catalogue():
    seeded = catalogue()
    for info in CATALOGUE:
        assert seeded.info(info.code) == info
    with pytest.raises(UnknownMeasure):
        seeded.info("ks2_made_up")


def ks2_file_for_one_school(settings, tmp_path):
    """A partnership of one LA with one primary school, and a KS2 file for it: (school, path)."""
    from schools import demo_performance as dp
    from schools.models import LocalAuthority, School

    settings.PARTNERSHIP_LA_CODES = ["899"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    la = LocalAuthority.objects.create(code="899", name="Northbridge")
    school = School.objects.create(urn=100001, la=la, name="School 100001", phase="primary", pupils=420,
                                   governance="academy", establishment_number="1001")
    demo = dp.DemoSchool(urn=school.urn, la_code="899", la_name="Northbridge", estab="1001", name=school.name,
                         phase="primary", pupils=420, governance="academy")
    path = tmp_path / "dfe_ptables_2022-23_899_ks2.csv"
    dp.write_ks2([demo], 2022, path, dp._Gen(1))
    return school, path


def test_an_admins_unit_edit_changes_how_an_import_checks_the_cells(client_for, settings, tmp_path):
    """A percentage over 100 is refused; once an admin says the measure is a score, the same file imports."""
    from schools.models import ImportRecord, Value
    from schools.tests.perf_support import import_bytes
    from schools.tests.test_performance_malformed import set_cell

    school, path = ks2_file_for_one_school(settings, tmp_path)
    data, row = set_cell(path.read_bytes(), school.urn, "PTRWM_EXP", "101")

    refused = import_bytes(data, path.name)
    assert refused.status == ImportRecord.Status.REFUSED
    assert "percentage 101 is over 100" in refused.message

    edit_in_admin(client_for("admin"), "ks2_rwm_exp", unit="score")
    record = import_bytes(data, path.name)
    assert record.status == ImportRecord.Status.DONE, record.message
    assert Value.objects.get(school=school, measure__code="ks2_rwm_exp", year=2022).value == 101


def test_a_file_whose_measure_is_not_in_the_catalogue_is_refused_before_a_row_is_read(settings, tmp_path):
    from schools.models import ImportRecord, Value
    from schools.tests.perf_support import import_bytes

    _, path = ks2_file_for_one_school(settings, tmp_path)
    Measure.objects.filter(code="ks2_rwm_high").delete()

    record = import_bytes(path.read_bytes(), path.name)
    assert record.status == ImportRecord.Status.REFUSED
    assert "the measure ks2_rwm_high is not in the measure catalogue" in record.message
    assert not Value.objects.exists()
