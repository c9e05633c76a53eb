"""The measures the portal imports,: one code per measure, the code every app uses.

Data, not code: labels, units, polarity and the minimum cohort can be edited by admins later; this
migration only creates the rows that do not exist yet and never overwrites an edited one.
"""

from django.db import migrations

# code, label, short label, phase, unit, polarity, core, kind, source column
MEASURES = [
    ("ks2_rwm_exp", "KS2 reading, writing and maths at the expected standard", "KS2 RWM expected", "primary", "percent", "higher", True, "ks2", "PTRWM_EXP"),
    ("ks2_rwm_high", "KS2 reading, writing and maths at the higher standard", "KS2 RWM higher", "primary", "percent", "higher", False, "ks2", "PTRWM_HIGH"),
    ("ks2_read_prog", "KS2 reading progress", "KS2 reading progress", "primary", "score", "higher", True, "ks2", "READPROG"),
    ("ks2_writ_prog", "KS2 writing progress", "KS2 writing progress", "primary", "score", "higher", True, "ks2", "WRITPROG"),
    ("ks2_mat_prog", "KS2 maths progress", "KS2 maths progress", "primary", "score", "higher", True, "ks2", "MATPROG"),
    ("ks2_dis_rwm_exp", "KS2 disadvantaged pupils at the expected standard in reading, writing and maths", "KS2 disadvantaged RWM", "primary", "percent", "higher", False, "ks2", "PTRWM_EXP_FSM6CLA1A"),
    ("ks4_att8", "KS4 Attainment 8 score", "Attainment 8", "secondary", "score", "higher", True, "ks4", "ATT8SCR"),
    ("ks4_p8", "KS4 Progress 8 score", "Progress 8", "secondary", "score", "higher", True, "ks4", "P8MEA"),
    ("ks4_basics_95", "KS4 grade 5 or above in English and maths", "Grade 5+ English and maths", "secondary", "percent", "higher", True, "ks4", "PTL2BASICS_95"),
    ("ks4_ebacc_aps", "KS4 EBacc average point score", "EBacc APS", "secondary", "score", "higher", False, "ks4", "EBACCAPS"),
    ("abs_overall", "Overall absence", "Overall absence", "all", "percent", "lower", True, "absence", "PERCTOT"),
    ("abs_persistent", "Persistent absence (pupils missing 10% or more of sessions)", "Persistent absence", "all", "percent", "lower", True, "absence", "PPERSABS10"),
    ("suspension_rate", "Suspensions per 100 pupils", "Suspension rate", "all", "percent", "lower", False, "suspensions", "susp_rate"),
    ("perm_exclusion_rate", "Permanent exclusions per 100 pupils", "Permanent exclusion rate", "all", "percent", "lower", False, "suspensions", "perm_excl_rate"),
    ("pupils", "Pupils on roll", "Pupils", "all", "count", "none", False, "census", "NOR"),
    ("fsm_percent", "Pupils eligible for free school meals in the last six years", "FSM (6 years)", "all", "percent", "none", False, "census", "PNUMFSMEVER"),
    ("sen_percent", "Pupils with special educational needs (EHC plan or SEN support)", "SEN", "all", "percent", "none", False, "census", "PSENELSE+PSENELK"),
    ("eal_percent", "Pupils whose first language is not English", "EAL", "all", "percent", "none", False, "census", "PNUMEAL"),
    # Ofsted report cards (from November 2025): kept apart from the old 1-4 grades, never combined.
    # Stored as 1 Exceptional, 2 Strong standard, 3 Expected standard, 4 Needs attention, 5 Urgent
    # improvement (safeguarding: 1 Met, 5 Not met). Context only: not rated by the rule set.
    ("ofsted_rc_safeguarding", "Ofsted report card: safeguarding standards", "Safeguarding", "all", "grade", "none", False, "ofsted", "Safeguarding standards"),
    ("ofsted_rc_inclusion", "Ofsted report card: inclusion", "Inclusion", "all", "grade", "none", False, "ofsted", "Inclusion"),
    ("ofsted_rc_curriculum", "Ofsted report card: curriculum and teaching", "Curriculum and teaching", "all", "grade", "none", False, "ofsted", "Curriculum and teaching"),
    ("ofsted_rc_achievement", "Ofsted report card: achievement", "Achievement", "all", "grade", "none", False, "ofsted", "Achievement"),
    ("ofsted_rc_attendance", "Ofsted report card: attendance and behaviour", "Attendance and behaviour", "all", "grade", "none", False, "ofsted", "Attendance and behaviour"),
    ("ofsted_rc_personal_dev", "Ofsted report card: personal development and wellbeing", "Personal development", "all", "grade", "none", False, "ofsted", "Personal development and wellbeing"),
    ("ofsted_rc_early_years", "Ofsted report card: early years", "Early years", "all", "grade", "none", False, "ofsted", "Early years (where applicable)"),
    ("ofsted_rc_post16", "Ofsted report card: post-16 provision", "Post-16", "all", "grade", "none", False, "ofsted", "Post-16 provision (where applicable)"),
    ("ofsted_rc_leadership", "Ofsted report card: leadership and governance", "Leadership and governance", "all", "grade", "none", False, "ofsted", "Leadership and governance"),
]


def create_measures(apps, schema_editor):
    Measure = apps.get_model("schools", "Measure")
    existing = set(Measure.objects.values_list("code", flat=True))
    Measure.objects.bulk_create([
        Measure(code=code, label=label, short_label=short, phase=phase, unit=unit, polarity=polarity,
                min_cohort=11, is_core=core, kind=kind, source_column=column, order=(i + 1) * 10)
        for i, (code, label, short, phase, unit, polarity, core, kind, column) in enumerate(MEASURES)
        if code not in existing
    ])


def remove_measures(apps, schema_editor):
    apps.get_model("schools", "Measure").objects.filter(code__in=[m[0] for m in MEASURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(create_measures, remove_measures)]
