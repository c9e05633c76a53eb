"""Builds the report model once from the database; every format is drawn from what these return."""

from django.conf import settings
from django.utils import timezone

from . import confidential, sections
from .document import CONFIDENTIAL_MARKING, Report


def progress_report(period, section_functions=None):
    section_functions = sections.SECTIONS if section_functions is None else section_functions
    built = tuple(fn(period) for fn in section_functions)
    return Report(
        title="Progress report",
        partnership=settings.PARTNERSHIP_NAME,
        period=period.label,
        generated=sections.when(timezone.now()),
        sections=built,
        summary=(
            f"This report sets out the partnership's progress from {period.label}: its strategy targets, its "
            "schools by priority, the support delivered to schools, the work of its board and groups, and its "
            "events and bulletins.",
            "Every figure comes from the portal's live data; each table says where its figures come from and "
            "as at when. Named schools are only in the confidential appendix, which is not for publication.",
        ),
    )


def confidential_appendix(period):
    """(Report, ids of the schools it names) for the access log."""
    section, named = confidential.named_schools(period)
    report = Report(
        title="Progress report: confidential appendix",
        partnership=settings.PARTNERSHIP_NAME,
        period=period.label,
        generated=sections.when(timezone.now()),
        sections=(section,),
        marking=CONFIDENTIAL_MARKING,
    )
    return report, named
