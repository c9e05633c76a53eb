"""The confidential appendix: named schools by priority, with their reasons and changes over the period.

Business-confidential (Schedule 12A, paragraph 3): only officers and admins reach it, every page is
marked, and every school it names is written to the access log by the view that serves it.
"""

from dashboard import queries
from dashboard.models import SchoolRating
from support.measures import priority_label

from .document import Part, Section, Table
from .period import long_date
from .sections import run_words, runs_for


def school_name(school):
    return f"{school.name} ({school.urn})"


def priority_words(rating, override):
    computed = priority_label(rating.priority)
    if override is None:
        return computed.capitalize()
    return f"Priority {override.priority} (best fit; computed: {computed}). Why: {override.reason}"


def end_ratings(run):
    if run is None:
        return []
    return list(SchoolRating.objects.filter(run=run).select_related("school").order_by("school__name", "school__urn"))


def priority_part(number, ratings, overrides, before):
    rows = []
    for r in ratings:
        override = overrides.get(r.school_id)
        effective = override.priority if override else r.priority
        if effective != number:
            continue
        rows.append((school_name(r.school), priority_words(r, override),
                     priority_label(before.get(r.school_id, "")).capitalize() if before else "no run",
                     r.reasons or "No reasons recorded"))
    table = Table(caption=f"Priority {number} schools",
                  columns=("School (URN)", "Priority", "At the start of the period", "Reasons"), rows=tuple(rows))
    return Part(heading=f"Priority {number} schools", source="", as_at="", table=table,
                empty=f"No school is priority {number}.")


def changes_part(ratings, before, before_run):
    if before_run is None:
        return Part(heading="Changes of priority", source="", as_at="",
                    paragraphs=("There was no rating run before the period, so changes cannot be shown.",))
    rows = tuple(
        (school_name(r.school), priority_label(before.get(r.school_id, "")).capitalize(),
         priority_label(r.priority).capitalize(), r.reasons or "No reasons recorded")
        for r in ratings
        if before.get(r.school_id, "") != r.priority
    )
    table = Table(caption="Schools whose computed priority changed in the period",
                  columns=("School (URN)", "At the start", "At the end", "Reasons now"), rows=rows)
    return Part(heading="Changes of priority", source="", as_at="", table=table,
                empty="No school's computed priority changed in the period.")


def named_schools(period):
    """(Section, ids of the schools it names)."""
    before_run, after_run = runs_for(period)
    ratings = end_ratings(after_run)
    overrides = queries.overrides_for([r.school_id for r in ratings])
    before = dict(SchoolRating.objects.filter(run=before_run).values_list("school_id", "priority")) if before_run else {}
    source = (f"At the end: {run_words(after_run)}, with the best-fit priorities officers have set. At the start: "
              f"{run_words(before_run)}")
    as_at = f"{long_date(period.start)} and {long_date(period.end)}"
    parts = [priority_part("1", ratings, overrides, before), priority_part("2", ratings, overrides, before),
             changes_part(ratings, before, before_run)]
    parts = tuple(Part(**{**p.__dict__, "source": source, "as_at": as_at}) for p in parts)
    named = {r.school_id for r in ratings if r.school_id in overrides or r.priority in ("1", "2")
             or (before_run and before.get(r.school_id, "") != r.priority)}
    intro = ("This appendix names schools and their priorities. It is exempt information under Schedule 12A, "
             "paragraph 3 (the business affairs of particular persons): it is not for publication.",)
    section = Section(key="named", heading="Named schools by priority", parts=parts, intro=intro)
    return section, named
