"""Small builders for dashboard tests: measures with the agreed codes, schools, figures, benchmarks.

Measures are looked up by code and created only when the schools app's measures migration has not
made them (so the tests work before and after it lands).
"""

import itertools

from django.conf import settings

from schools.models import Benchmark, Governance, LocalAuthority, Measure, Phase, School, Value

# code: (label, phase, unit, polarity, core, kind)
AGREED = {
    "ks2_rwm_exp": ("KS2 RWM expected", "primary", "percent", "higher", True, "ks2"),
    "ks2_rwm_high": ("KS2 RWM higher", "primary", "percent", "higher", False, "ks2"),
    "ks2_read_prog": ("KS2 reading progress", "primary", "score", "higher", True, "ks2"),
    "ks2_writ_prog": ("KS2 writing progress", "primary", "score", "higher", True, "ks2"),
    "ks2_mat_prog": ("KS2 maths progress", "primary", "score", "higher", True, "ks2"),
    "ks4_att8": ("Attainment 8", "secondary", "score", "higher", True, "ks4"),
    "ks4_p8": ("Progress 8", "secondary", "score", "higher", True, "ks4"),
    "ks4_basics_95": ("Grade 5+ English and maths", "secondary", "percent", "higher", True, "ks4"),
    "abs_overall": ("Overall absence", "all", "percent", "lower", True, "absence"),
    "abs_persistent": ("Persistent absence", "all", "percent", "lower", True, "absence"),
}

_urns = itertools.count(990001)


def measures():
    out = {}
    for i, (code, (label, phase, unit, polarity, core, kind)) in enumerate(AGREED.items()):
        out[code], _ = Measure.objects.get_or_create(
            code=code,
            defaults=dict(
                label=label,
                short_label=label,
                phase=phase,
                unit=unit,
                polarity=polarity,
                is_core=core,
                kind=kind,
                order=i * 10,
            ),
        )
    return out


def partnership_la():
    code = settings.PARTNERSHIP_LA_CODES[0]
    la, _ = LocalAuthority.objects.get_or_create(code=code, defaults={"name": "Demo partnership"})
    return la


def school(
    name="Test Primary",
    phase=Phase.PRIMARY,
    *,
    urn=None,
    governance=Governance.LA_MAINTAINED,
    ofsted="Good",
    ofsted_date=None,
    phase_name=None,
    type_name="Community school",
    **kw,
):
    return School.objects.create(
        urn=urn or next(_urns),
        la=kw.pop("la", None) or partnership_la(),
        name=name,
        phase=phase,
        phase_name=phase_name if phase_name is not None else dict(Phase.choices)[phase],
        type_name=type_name,
        governance=governance,
        ofsted_rating=ofsted,
        ofsted_date=ofsted_date,
        **kw,
    )


def values(school, year, cohort=30, **figures):
    """values(s, 2018, ks2_rwm_exp=48, ks2_read_prog="SUPP") - a string is a marker."""
    ms = measures()
    for code, figure in figures.items():
        marker = figure if isinstance(figure, str) else ""
        Value.objects.update_or_create(
            school=school,
            measure=ms[code],
            year=year,
            defaults={"value": None if marker else figure, "marker": marker, "cohort": cohort},
        )


def england(year, phase="", **figures):
    ms = measures()
    for code, value in figures.items():
        Benchmark.objects.update_or_create(
            area="england", la_code="", measure=ms[code], year=year, phase=phase, defaults={"value": value}
        )


def la_benchmark(year, la_code, phase="", **figures):
    ms = measures()
    for code, value in figures.items():
        Benchmark.objects.update_or_create(
            area="la", la_code=la_code, measure=ms[code], year=year, phase=phase, defaults={"value": value}
        )


def standard_benchmarks(years=(2016, 2017, 2018)):
    for y in years:
        england(y, ks2_rwm_exp=65.0, ks4_att8=44.5, ks4_basics_95=43.2)
        england(y, "PRI", abs_overall=4.0, abs_persistent=8.2)
        england(y, "SEC", abs_overall=5.5, abs_persistent=13.7)
        england(y, "SPE", abs_overall=10.1, abs_persistent=29.4)
        la_benchmark(y, partnership_la().code, ks2_rwm_exp=66.0, ks4_att8=46.0, ks4_basics_95=45.0)
        la_benchmark(y, partnership_la().code, "PRI", abs_overall=3.9, abs_persistent=8.0)
        la_benchmark(y, partnership_la().code, "SEC", abs_overall=5.2, abs_persistent=13.0)


def three_priorities(year=2018):
    """One P1, one P2 and one P3 primary school, rated on the standard benchmarks."""
    standard_benchmarks()
    p1 = school("Red Lane Primary", ofsted="Good")
    values(
        p1,
        year,
        ks2_rwm_exp=48.0,
        ks2_read_prog=-2.5,
        ks2_writ_prog=-3.0,
        ks2_mat_prog=1.0,
        abs_overall=4.0,
        abs_persistent=8.0,
    )
    p2 = school("Amber Road Primary", ofsted="Requires improvement")
    values(
        p2,
        year,
        ks2_rwm_exp=70.0,
        ks2_read_prog=0.5,
        ks2_writ_prog=0.2,
        ks2_mat_prog=1.0,
        abs_overall=3.0,
        abs_persistent=7.0,
    )
    p3 = school("Green Park Primary", ofsted="Outstanding")
    values(
        p3,
        year,
        ks2_rwm_exp=75.0,
        ks2_read_prog=1.5,
        ks2_writ_prog=0.2,
        ks2_mat_prog=1.0,
        abs_overall=3.0,
        abs_persistent=7.0,
    )
    return p1, p2, p3
