"""The measure catalogue is the rating engine's too: each measure's name as rating reasons write it.

Fills the label the engine has always written ("KS2 RWM 48% vs 65% national") for the agreed codes,
only where it is still blank, so an admin's edit is never overwritten.
"""

from django.db import migrations, models

REPORT_CARD_AREAS = ("safeguarding", "inclusion", "curriculum", "achievement", "attendance", "personal_dev",
                     "early_years", "post16", "leadership")
REASONS_LABELS = {
    "ks2_rwm_exp": "KS2 RWM",
    "ks2_rwm_high": "KS2 RWM higher standard",
    "ks2_read_prog": "KS2 reading progress",
    "ks2_writ_prog": "KS2 writing progress",
    "ks2_mat_prog": "KS2 maths progress",
    "ks2_dis_rwm_exp": "KS2 disadvantaged RWM",
    "ks4_att8": "KS4 Attainment 8",
    "ks4_p8": "KS4 Progress 8",
    "ks4_basics_95": "KS4 grade 5+ English and maths",
    "ks4_ebacc_aps": "KS4 EBacc APS",
    "abs_overall": "overall absence",
    "abs_persistent": "persistent absence",
    "abs_persistent_15": "persistent absence (15% threshold)",
    "suspension_rate": "suspension rate",
    "perm_exclusion_rate": "permanent exclusion rate",
    "pupils": "pupils",
    "fsm_percent": "FSM",
    "sen_percent": "SEN",
    "eal_percent": "EAL",
    **{f"ofsted_rc_{area}": f"Ofsted report card: {area.replace('_', ' ')}" for area in REPORT_CARD_AREAS},
}


def fill(apps, schema_editor):
    Measure = apps.get_model("schools", "Measure")
    for code, label in REASONS_LABELS.items():
        Measure.objects.filter(code=code, reasons_label="").update(reasons_label=label)


class Migration(migrations.Migration):
    dependencies = [("schools", "0007_persistent_absence_15")]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="reasons_label",
            field=models.CharField(
                blank=True, max_length=60,
                help_text="As rating reasons write it, e.g. “KS2 RWM”; blank: the short label",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
