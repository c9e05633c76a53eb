"""The public glossary behind /about-the-data/: what each measure and marker means, who publishes it,
when, and why some years have no figure. Each page that shows a figure links its heading here
(`{% about_link code %}`), and narrow tables head their columns with the abbreviation given here.

Plain data: a measure the partnership adds later without an entry still gets its label and the
publisher of its kind of file, so a heading never links to nothing.
"""

from dataclasses import dataclass

DFE_TABLES = "Department for Education: school performance tables (Compare school and college performance)"


@dataclass(frozen=True)
class Source:
    kind: str
    title: str
    publisher: str
    when: str
    gaps: str = ""


SOURCES = {
    s.kind: s
    for s in (
        Source("ks2", "Key stage 2 results", DFE_TABLES,
               "Provisional figures in September after the tests in May; school figures in the performance "
               "tables in December.",
               "No key stage 2 tests were taken in 2019/20 or 2020/21 (COVID-19), so those years have no "
               "figures. Progress scores are not published from 2023/24: those pupils had no key stage 1 "
               "assessments in 2019/20 and 2020/21 to measure progress from."),
        Source("ks4", "Key stage 4 results", DFE_TABLES,
               "Provisional figures in October after the summer exams; revised figures early in the next "
               "calendar year.",
               "No school figures were published for 2019/20 or 2020/21, when exams were cancelled and "
               "grades were assessed by schools. Progress 8 is not published for 2024/25 or 2025/26: those "
               "pupils took no key stage 2 tests in 2019/20 and 2020/21, the starting point Progress 8 "
               "measures from."),
        Source("ks4_destinations", "Key stage 4 destinations", DFE_TABLES,
               "Each autumn, about two years after the pupils finished key stage 4 (the destination year "
               "must be complete first).",
               "Figures run two years behind results: the newest destinations are for pupils who finished "
               "key stage 4 two summers ago."),
        Source("absence", "Absence", "Department for Education: Pupil absence in schools in England",
               "Full-year figures each March, for the academic year before, so absence runs a year behind "
               "results.",
               "2019/20 has no full-year figures: schools closed to most pupils from March 2020 and only the "
               "autumn term was published."),
        Source("suspensions", "Suspensions and permanent exclusions",
               "Department for Education: Suspensions and permanent exclusions in England",
               "Each July, for the academic year before last.",
               "Figures for 2019/20 and 2020/21 are low partly because schools were closed to most pupils "
               "for long periods."),
        Source("census", "Pupils (school census)",
               "Department for Education: Schools, pupils and their characteristics (January school census)",
               "Each June, from the census taken in January of the same academic year."),
        Source("ofsted", "Ofsted inspections", "Ofsted: State-funded schools inspections and outcomes "
               "(management information)",
               "Monthly, as inspection reports are published.",
               "From September 2024 inspections gave no single overall judgement, so the last graded outcome "
               "stays in place with its date. From November 2025 inspections give report cards: a grade per "
               "area, never converted to the old 1 to 4 grades."),
    )
}


@dataclass(frozen=True)
class Entry:
    code: str
    abbr: str  # a heading short enough for a narrow column; the full name goes beside it
    meaning: str


ENTRIES = {
    e.code: e
    for e in (
        Entry("ks2_rwm_exp", "RWM exp.", "The percentage of pupils who reached the expected standard in all of "
              "reading, writing and maths at the end of key stage 2 (year 6)."),
        Entry("ks2_rwm_high", "RWM high", "The percentage of pupils who reached the higher standard in all of "
              "reading, writing and maths at the end of key stage 2."),
        Entry("ks2_read_prog", "Read. prog.", "How much progress pupils made in reading from key stage 1 to key "
              "stage 2, compared with pupils nationally who started from the same point. 0 is the national "
              "average by definition; above 0 is more progress than similar pupils made."),
        Entry("ks2_writ_prog", "Writ. prog.", "Progress in writing from key stage 1 to key stage 2, measured like "
              "reading progress. 0 is the national average by definition."),
        Entry("ks2_mat_prog", "Maths prog.", "Progress in maths from key stage 1 to key stage 2, measured like "
              "reading progress. 0 is the national average by definition."),
        Entry("ks2_dis_rwm_exp", "Disadv. RWM", "The percentage of disadvantaged pupils (eligible for free school "
              "meals in the last six years, or looked after) who reached the expected standard in reading, "
              "writing and maths."),
        Entry("ks4_att8", "A8", "Attainment 8: the average of each pupil's grades across eight GCSE-level "
              "subjects, with English and maths counted twice. The highest possible score is 90."),
        Entry("ks4_p8", "P8", "Progress 8: how pupils' Attainment 8 scores compare with pupils nationally who had "
              "the same key stage 2 results. 0 is the national average by definition; +0.5 means pupils "
              "achieved half a grade more per subject than similar pupils."),
        Entry("ks4_basics_95", "EM 5+", "The percentage of pupils who achieved grade 5 or above in both English "
              "and maths GCSEs."),
        Entry("ks4_ebacc_aps", "EBacc APS", "The English Baccalaureate average point score: pupils' average "
              "grade across English, maths, sciences, a language and history or geography."),
        Entry("abs_overall", "Abs.", "Overall absence: the percentage of possible sessions (half-days) missed "
              "for any reason, authorised or not."),
        Entry("abs_persistent", "PA", "Persistent absence: the percentage of pupils who missed 10% or more of "
              "their possible sessions."),
        Entry("suspension_rate", "Susp.", "Suspensions (formerly fixed-period exclusions) per 100 pupils on "
              "roll over the year."),
        Entry("perm_exclusion_rate", "Perm. excl.", "Permanent exclusions per 100 pupils on roll over the year."),
        Entry("pupils", "Pupils", "The number of pupils on roll at the January census."),
        Entry("fsm_percent", "FSM", "The percentage of pupils eligible for free school meals at any time in the "
              "last six years (the measure behind pupil premium funding)."),
        Entry("sen_percent", "SEN", "The percentage of pupils with special educational needs: with an education, "
              "health and care plan, or receiving SEN support."),
        Entry("eal_percent", "EAL", "The percentage of pupils whose first language is known or believed to be "
              "other than English. It says nothing about how well they speak English."),
    )
}
REPORT_CARD_MEANING = (
    "An area of an Ofsted report card, graded Exceptional, Strong standard, Expected standard, Needs "
    "attention or Urgent improvement; safeguarding is Met or Not met."
)

# Why a published figure has no number (schools.models.Marker). Meanings from the DfE's performance
# tables abbreviations and the explore-education-statistics symbols guidance.
MARKERS = (
    ("SUPP", "Suppressed: too few pupils are counted (usually 5 or fewer, 10 for destinations) to publish "
             "the figure without identifying them."),
    ("NE", "No entries: the school entered no pupils for the qualifications the measure covers."),
    ("NP", "Not published: the DfE does not publish this figure for this school or year, for example "
           "Progress 8 for independent schools."),
    ("NA", "Not applicable: the figure does not exist for this school or year."),
    ("NEW", "New school: no pupils were eligible yet."),
    ("LOWCOV", "Low coverage: fewer than half of the pupils had the earlier results a progress score needs, "
               "so no score is published."),
    ("SP", "Small percentage: between 0% and 0.5%, not shown so a few pupils cannot be identified."),
    ("c", "Confidential (explore education statistics): held back to protect pupils' identities."),
    ("x", "Not available (explore education statistics): the figure was not collected or cannot be given."),
    ("z", "Not applicable (explore education statistics): the figure cannot exist, for example a phase the "
          "school does not teach."),
    ("low", "Rounds to zero (explore education statistics): a positive figure below 0.5."),
    ("u", "Low reliability (explore education statistics): published with a warning."),
    (":", "Not available, in older explore education statistics files."),
)


def abbr(code, label):
    """The short column heading for a measure (its label when the glossary has none)."""
    entry = ENTRIES.get(code)
    return entry.abbr if entry else label


def meaning(code, kind):
    if code in ENTRIES:
        return ENTRIES[code].meaning
    return REPORT_CARD_MEANING if kind == "ofsted" else ""


def source(kind):
    return SOURCES.get(kind)


def about_url(code=""):
    """The glossary address, at a measure's entry (or a file kind's section) when given."""
    from django.urls import reverse

    return reverse("schools:about_the_data") + (f"#{code}" if code else "")


def abbr_html(code, label):
    """A narrow column heading: the abbreviation for the eye (with its full name as a tooltip), the full
    name for screen readers, which read an <abbr>'s letters rather than its title."""
    from django.utils.html import format_html

    short = abbr(code, label)
    if short == label:
        return format_html("{}", label)
    return format_html('<abbr title="{}" aria-hidden="true">{}</abbr><span class="govuk-visually-hidden">{}</span>',
                       label, short, label)


def column_headings(codes, fallback_labels):
    """[(code, heading html)] for measure columns: abbreviation, full name and a link to the glossary.
    One query for the full names; a code with no measure row keeps its fallback label."""
    from django.utils.html import format_html

    from .models import Measure

    full = dict(Measure.objects.filter(code__in=list(codes)).values_list("code", "label"))
    return [(code, format_html('<a class="govuk-link" href="{}">{}</a>', about_url(code),
                               abbr_html(code, full.get(code) or fallback_labels.get(code, code))))
            for code in codes]
