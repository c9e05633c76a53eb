"""School terms: autumn 1 September to 31 December, spring 1 January to Easter Sunday, summer Easter
Monday to 31 August. Generated per academic year on first use; an admin may move the dates."""

import datetime

from django.utils import timezone

from schools.years import academic_year_of

from .models import Term, TermName


def easter(year):
    """Easter Sunday (Gregorian) by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def default_terms(academic_year):
    """[(name, start, end)] for an academic year (2025 = 2025/26)."""
    spring_year = academic_year + 1
    sunday = easter(spring_year)
    return [
        (TermName.AUTUMN, datetime.date(academic_year, 9, 1), datetime.date(academic_year, 12, 31)),
        (TermName.SPRING, datetime.date(spring_year, 1, 1), sunday),
        (TermName.SUMMER, sunday + datetime.timedelta(days=1), datetime.date(spring_year, 8, 31)),
    ]


def ensure_terms(academic_year):
    """The year's terms, made with the default dates when missing (dates an admin moved are kept)."""
    for name, start, end in default_terms(academic_year):
        Term.objects.get_or_create(academic_year=academic_year, name=name, defaults={"start": start, "end": end})
    return list(Term.objects.filter(academic_year=academic_year).order_by("start"))


def term_for(date=None):
    """The term a date falls in. If an admin's edits left a gap, the latest term begun by then."""
    date = date or timezone.localdate()
    term = Term.objects.containing(date)
    if term is not None:
        return term
    ensure_terms(academic_year_of(date))
    return (
        Term.objects.containing(date)
        or Term.objects.filter(start__lte=date).order_by("-start").first()
        or Term.objects.order_by("start").first()
    )
