"""Persistent absence at the 15% threshold (PPERSABS15, to 2014/15) is its own measure:
the 10% threshold replaced it from 2015/16, and the two are never one series.

Figures earlier imports filed under abs_persistent for 2014/15 and before came from PPERSABS15
(the absence profile chose the column by year): they move to the new measure, so no chart, trend,
target or rating joins the two definitions into one series.
"""

from django.db import migrations

LAST_15_YEAR = 2014


def split(apps, schema_editor):
    Measure = apps.get_model("schools", "Measure")
    ten = Measure.objects.filter(code="abs_persistent").first()
    fifteen, _ = Measure.objects.get_or_create(code="abs_persistent_15", defaults={
        "label": "Persistent absence (pupils missing 15% or more of sessions, to 2014/15)",
        "short_label": "Persistent absence (15%)", "phase": "all", "unit": "percent", "polarity": "lower",
        "min_cohort": 11, "is_core": False, "kind": "absence", "source_column": "PPERSABS15",
        "order": (ten.order + 1) if ten else 125,
    })
    if ten is None:
        return
    for model in ("Value", "Benchmark", "ValueChange"):
        apps.get_model("schools", model).objects.filter(measure=ten, year__lte=LAST_15_YEAR).update(measure=fifteen)


def join(apps, schema_editor):
    Measure = apps.get_model("schools", "Measure")
    ten = Measure.objects.filter(code="abs_persistent").first()
    fifteen = Measure.objects.filter(code="abs_persistent_15").first()
    if ten and fifteen:
        for model in ("Value", "Benchmark", "ValueChange"):
            apps.get_model("schools", model).objects.filter(measure=fifteen).update(measure=ten)
    if fifteen:
        fifteen.delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0006_report_cards_register_trusts")]

    operations = [migrations.RunPython(split, join)]
