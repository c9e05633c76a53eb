"""The period a report covers: two dates from the address, checked, or the last school term."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from schools.years import academic_year_of
from support import terms
from support.models import Term

EARLIEST = datetime.date(2000, 1, 1)


class PeriodError(ValueError):
    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors  # {field name: message}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def label(self):
        return f"{long_date(self.start)} to {long_date(self.end)}"

    def query(self):
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def _date(value, field, label, errors):
    value = (value or "").strip()
    if not value:
        errors[field] = f"Enter the {label} date"
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        errors[field] = f"The {label} date must be a real date written as YYYY-MM-DD, for example 2026-09-01"
        return None
    if day < EARLIEST:
        errors[field] = f"The {label} date must be in {EARLIEST.year} or later"
        return None
    return day


def parse(params):
    """A Period from ?from=YYYY-MM-DD&to=YYYY-MM-DD, or PeriodError naming each bad field."""
    errors = {}
    start = _date(params.get("from"), "from", "start", errors)
    end = _date(params.get("to"), "to", "end", errors)
    if start and end and end < start:
        errors["to"] = "The end date must be the same as or after the start date"
    if errors:
        raise PeriodError(errors)
    return Period(start, end)


def last_term(today=None):
    """The school term before the current one (terms as the support pages keep them)."""
    today = today or timezone.localdate()
    current = terms.term_for(today)
    terms.ensure_terms(academic_year_of(current.start - datetime.timedelta(days=1)))
    return Term.objects.filter(end__lt=current.start).order_by("-start").first()


def recent_terms(today=None, count=6):
    """Terms begun by today, newest first, for the quick choices on the form."""
    today = today or timezone.localdate()
    last_term(today)
    return list(Term.objects.filter(start__lte=today).order_by("-start")[:count])


def of_term(term):
    return Period(term.start, term.end)
