"""KS4 destination measures (context, not core): the performance tables' pupil destinations file.

Percentages of the pupils who finished key stage 4, by where they were for at least two terms of the
following year (DfE meta_pupdestprovisional: OVERALL_DESTPER, EDUCATIONPER, APPRENPER, EMPLOYMENTPER,
NOT_SUSTAINEDPER, UNKNOWNPER). Stored in the year of the destination (see profiles.py). Like 0002,
only creates what is missing and never overwrites an edited measure.
"""

from django.db import migrations

# code, label, short label, unit, polarity, source column
MEASURES = [
    ("ks4_dest_overall", "KS4 destinations: staying in education, apprenticeships or employment for at least two terms",
     "Sustained destination", "higher", "OVERALL_DESTPER"),
    ("ks4_dest_education", "KS4 destinations: staying in education for at least two terms", "In education",
     "none", "EDUCATIONPER"),
    ("ks4_dest_apprenticeship", "KS4 destinations: sustained apprenticeships", "Apprenticeships", "none", "APPRENPER"),
    ("ks4_dest_employment", "KS4 destinations: staying in employment for at least two terms", "In employment",
     "none", "EMPLOYMENTPER"),
    ("ks4_dest_not_sustained", "KS4 destinations: not staying in education or employment", "Not sustained",
     "lower", "NOT_SUSTAINEDPER"),
    ("ks4_dest_unknown", "KS4 destinations: activity not captured", "Activity not captured", "none", "UNKNOWNPER"),
]
FIRST_ORDER = 400  # after the measures of 0002 (10-270)


def create_measures(apps, schema_editor):
    Measure = apps.get_model("schools", "Measure")
    existing = set(Measure.objects.values_list("code", flat=True))
    Measure.objects.bulk_create([
        Measure(code=code, label=label, short_label=short, phase="secondary", unit="percent", polarity=polarity,
                min_cohort=11, is_core=False, kind="ks4_destinations", source_column=column,
                order=FIRST_ORDER + i * 10)
        for i, (code, label, short, polarity, column) in enumerate(MEASURES)
        if code not in existing
    ])


def remove_measures(apps, schema_editor):
    apps.get_model("schools", "Measure").objects.filter(code__in=[m[0] for m in MEASURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0003_school_information_trust_values")]

    operations = [migrations.RunPython(create_measures, remove_measures)]
