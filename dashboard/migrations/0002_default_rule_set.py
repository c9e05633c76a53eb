"""The default rule set the partnership agreed, live from 2016/17.

The rules are written out here (not imported from dashboard.ratings) so this migration keeps
creating exactly what it created, whatever later code says.
"""

from django.db import migrations

DEFAULT_RULES = {
    "rules": [
        {
            "measure": "ks2_rwm_exp",
            "comparator": "england",
            "fixed_value": None,
            "amber_width": 5,
            "green_margin": 0.0,
            "phases": [
                "primary"
            ],
            "by_phase": False,
            "core": True,
            "min_cohort": 11
        },
        {
            "measure": "ks2_read_prog",
            "comparator": "fixed",
            "fixed_value": 0,
            "amber_width": 2,
            "green_margin": 0.0,
            "phases": [
                "primary"
            ],
            "by_phase": False,
            "core": True,
            "min_cohort": 11
        },
        {
            "measure": "ks2_writ_prog",
            "comparator": "fixed",
            "fixed_value": 0,
            "amber_width": 2,
            "green_margin": 0.0,
            "phases": [
                "primary"
            ],
            "by_phase": False,
            "core": True,
            "min_cohort": 11
        },
        {
            "measure": "ks2_mat_prog",
            "comparator": "fixed",
            "fixed_value": 0,
            "amber_width": 2,
            "green_margin": 0.0,
            "phases": [
                "primary"
            ],
            "by_phase": False,
            "core": True,
            "min_cohort": 11
        },
        {
            "measure": "ks4_att8",
            "comparator": "england",
            "fixed_value": None,
            "amber_width": 3,
            "green_margin": 0.0,
            "phases": [
                "secondary"
            ],
            "by_phase": False,
            "core": True,
            "min_cohort": 11
        },
        {
            "measure": "ks4_p8",
            "comparator": "fixed",
            "fixed_value": 0,
            "amber_width": 0.5,
            "green_margin": 0.0,
            "phases": [
                "secondary"
            ],
            "by_phase": False,
            "core": True,
            "min_cohort": 11
        },
        {
            "measure": "ks4_basics_95",
            "comparator": "england",
            "fixed_value": None,
            "amber_width": 5,
            "green_margin": 0.0,
            "phases": [
                "secondary"
            ],
            "by_phase": False,
            "core": True,
            "min_cohort": 11
        },
        {
            "measure": "abs_overall",
            "comparator": "england",
            "fixed_value": None,
            "amber_width": 1,
            "green_margin": 0.0,
            "phases": [
                "primary",
                "secondary",
                "special"
            ],
            "by_phase": True,
            "core": True,
            "min_cohort": 11
        },
        {
            "measure": "abs_persistent",
            "comparator": "england",
            "fixed_value": None,
            "amber_width": 3,
            "green_margin": 0.0,
            "phases": [
                "primary",
                "secondary",
                "special"
            ],
            "by_phase": True,
            "core": True,
            "min_cohort": 11
        }
    ],
    "ofsted": {
        "red": [
            "serious weaknesses",
            "special measures",
            "inadequate"
        ],
        "amber": [
            "requires improvement"
        ],
        "green": [
            "good",
            "outstanding"
        ]
    },
    "thresholds": {
        "p1_red": 3,
        "p2_red": 1,
        "p2_amber": 3
    },
    "trend_years": 3,
    "inspection_age_years": 5,
    "neighbours": []
}


def create_default(apps, schema_editor):
    RuleSet = apps.get_model("dashboard", "RuleSet")
    if not RuleSet.objects.exists():
        RuleSet.objects.create(
            year=2016,
            version=1,
            name="Default rule set",
            status="live",
            rules=DEFAULT_RULES,
            notes="The portal's default rules. Copy it to a new version to change bands.",
        )


def remove_default(apps, schema_editor):
    apps.get_model("dashboard", "RuleSet").objects.filter(year=2016, version=1, name="Default rule set").delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]

    operations = [migrations.RunPython(create_default, remove_default)]
