"""GIAS register values: the type, phase, status and group-type mappings, and reading one cell of a GIAS
download (numbers, percentages, dates, URNs, websites) for the register kinds (gias.py, gias_groups.py)."""

import datetime
import functools
import re
from decimal import Decimal, InvalidOperation

from schools.models import Governance, Phase, School, Trust

# ------------------------------------------------------------------------------------------ mapping
LA_MAINTAINED_TYPES = {
    "community school", "voluntary aided school", "voluntary controlled school", "foundation school",
    "pupil referral unit", "local authority nursery school",
}
SPECIAL_SCHOOL_TYPES = {
    "community special school", "non-maintained special school", "other independent special school",
    "foundation special school",
}


def type_group_from_type(type_name):
    """GIAS establishment type group for a type name (for layouts without the group column)."""
    t = (type_name or "").strip().lower()
    if not t:
        return ""
    if "free school" in t or "studio school" in t or "university technical" in t:
        return "Free Schools"
    if t.startswith("academy"):
        return "Academies"
    if t in LA_MAINTAINED_TYPES:
        return "Local authority maintained schools"
    if t in SPECIAL_SCHOOL_TYPES:
        return "Special schools"
    if "independent" in t or t == "city technology college":
        return "Independent schools"
    if t == "further education" or t == "sixth form centres":
        return "Colleges"
    if "higher education" in t:
        return "Universities"
    if "children's centre" in t:
        return "Children's Centres"
    return "Other types"


def is_special(type_name):
    return "special" in (type_name or "").lower()


def governance_for(type_group, type_name):
    group = (type_group or type_group_from_type(type_name)).strip().lower()
    t = (type_name or "").lower()
    if group == "local authority maintained schools":
        return Governance.LA_MAINTAINED
    if group in ("academies", "free schools"):
        # A special academy or special free school is "special (academy)": still counts as an academy.
        if is_special(t):
            return Governance.SPECIAL_ACADEMY
        return Governance.ACADEMY if group == "academies" else Governance.FREE_SCHOOL
    if group == "special schools":
        if "independent" in t:
            return Governance.INDEPENDENT
        if "academy" in t:
            return Governance.SPECIAL_ACADEMY
        if "non-maintained" in t:
            # Run by charities, neither maintained by the LA nor an academy.
            return Governance.OTHER
        return Governance.SPECIAL_MAINTAINED
    if group == "independent schools":
        return Governance.INDEPENDENT
    return Governance.OTHER


PHASES = {
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.PRIMARY,
    "secondary": Phase.SECONDARY,
    "middle deemed secondary": Phase.SECONDARY,
    "all-through": Phase.ALL_THROUGH,
    "all through": Phase.ALL_THROUGH,
    "nursery": Phase.NURSERY,
    "16 plus": Phase.SIXTEEN_PLUS,
    "not applicable": Phase.NOT_APPLICABLE,
    "": Phase.NOT_APPLICABLE,
}


def phase_for(phase_name, type_name):
    if is_special(type_name):
        return Phase.SPECIAL
    return PHASES.get((phase_name or "").strip().lower())


STATUSES = {
    "open": School.Status.OPEN,
    "open, but proposed to close": School.Status.PROPOSED_TO_CLOSE,
    "proposed to open": School.Status.PROPOSED_TO_OPEN,
    "closed": School.Status.CLOSED,
}

GROUP_TYPES = {
    "multi-academy trust": Trust.Type.MAT,
    "single-academy trust": Trust.Type.SAT,
    "federation": Trust.Type.FEDERATION,
    "school sponsor": Trust.Type.SPONSOR,
    "academy sponsor": Trust.Type.SPONSOR,
    "trust": Trust.Type.TRUST,
}

# Markers GIAS and EduBase put where a value is unknown.
EMPTY_MARKERS = {"", "x", "null", "not applicable", "n/a", "na"}


# ------------------------------------------------------------------------------------------ parsing
class BadValue(ValueError):
    pass


def parse_int(text):
    if text.isdigit():  # the common case, fast
        return int(text)
    text = (text or "").strip().replace(",", "")
    if text.lower() in EMPTY_MARKERS:
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadValue(f"{text[:40]!r} is not a whole number") from None
    if not value.is_integer() or value < 0:
        raise BadValue(f"{text[:40]!r} is not a whole number")
    return int(value)


def parse_percent(text):
    text = (text or "").strip().rstrip("%").strip()
    if text.lower() in EMPTY_MARKERS:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BadValue(f"{text[:40]!r} is not a percentage") from None
    if value < 0 or value > 100:
        raise BadValue(f"{text[:40]!r} is not a percentage between 0 and 100")
    return value.quantize(Decimal("0.1"))


DMY = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%y")


@functools.lru_cache(maxsize=20000)
def parse_date(text):
    text = (text or "").strip()
    if text.lower() in EMPTY_MARKERS:
        return None
    m = DMY.fullmatch(text)
    if m:  # GIAS dd-mm-yyyy, the common case: no strptime
        try:
            value = datetime.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            raise BadValue(f"{text[:40]!r} is not a date") from None
        return None if value.year < 1901 else value
    for fmt in DATE_FORMATS:
        try:
            value = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        # GIAS uses 01-01-1900 for "not recorded".
        return None if value.year < 1901 else value
    raise BadValue(f"{text[:40]!r} is not a date")


def parse_urn(text):
    if text.isascii() and text.isdigit() and len(text) <= 9:  # the common case, without a regex
        return int(text)
    text = (text or "").strip()
    if not re.fullmatch(r"\d{1,9}", text):
        raise BadValue(f"{text[:40]!r} is not a URN" if text else "the URN is empty")
    return int(text)


def website(text):
    text = (text or "").strip()
    if not text or text.lower() in EMPTY_MARKERS or " " in text:
        return ""
    if not text[:8].lower().startswith(("http://", "https://")):
        text = "http://" + text
    return text[:300]


def cell(row, index):
    return row[index].strip() if index is not None else ""


def partnership_refusal(ctx, expected_column="LA (code)"):
    from .reading import ImportProblem

    codes = ", ".join(ctx.la_codes)
    return ImportProblem(f"no rows for LA codes {codes}", file=ctx.file_name, column=expected_column,
                         expected=f"rows whose {expected_column} is one of {codes} (the partnership's LAs)")
