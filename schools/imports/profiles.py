"""File profiles for the performance data kinds: which DfE columns hold which measure, per kind and year.

Pure functions, no database: `recognise(header, file_name, kind=None, year=None)` tells which kind,
year and profile a header belongs to (or raises `ProfileError` naming what was expected), and
cells.py's `parse_cell(text, unit)` turns one published cell into a number or a marker.

Columns are mapped by name, never by position: the DfE adds, renames and drops columns between
years (KS2 has 290 columns in 2016/17, 326 in 2017/18, 318 in 2018/19). The year of a KS2 or KS4
file shows in its header: each file repeats the two previous years' headline figures in columns
suffixed with the summer they belong to (`PTRWM_EXP_17`, `PTRWM_EXP_18` in the 2018/19 file), so
the file's own academic year starts in 2000 + the highest suffix. Files without such columns
(absence, census, KS4 provisional) take their year from the file name (`2018-19`) or the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..years import academic_year_of, year_label

# --- Profiles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureColumn:
    """Where a measure's figure sits in a file: one column, or the sum of several (SEN = EHC + support)."""

    code: str
    columns: tuple  # alternatives, first present wins: ("PPERSABS10", "PPERSABS15")
    sum_of: tuple = ()  # all must be present; the figure is their sum

    def locate(self, index):
        """Column names used in this header, or () when the measure is not in the file."""
        if self.sum_of:
            return self.sum_of if all(c in index for c in self.sum_of) else ()
        for name in self.columns:
            if name in index:
                return (name,)
        return ()


@dataclass(frozen=True)
class Profile:
    kind: str
    name: str  # stable id stored on the import record, e.g. "ks2_final_2018"
    label: str  # what a person reads, e.g. "KS2 final results 2018/19"
    year: int | None
    layout: str  # rectype | absence | census | ees | ofsted
    key_columns: tuple
    measures: tuple
    cohort_column: str | None = None
    # Record types of the summary rows (DfE metadata, per file): code -> (area, role)
    rectypes: dict = field(default_factory=dict)
    notes: tuple = ()

    @property
    def measure_codes(self):
        return tuple(m.code for m in self.measures)


# Record types (DfE metadata files): KS2 1 mainstream, 2 special, 3 LA, 4 England all schools,
# 5 England state-funded; KS4 1 mainstream, 2 special, 4 LA, 5 England all schools, 7 England
# state-funded ("maintained" in the older wording).
KS2_RECTYPES = {"1": "school", "2": "school", "3": "la", "4": "england_all", "5": "england"}
KS4_RECTYPES = {"1": "school", "2": "school", "4": "la", "5": "england_all", "7": "england"}
# KS4 destinations: the metadata lists the KS4 codes, but the published file marks its summary rows
# with the words LA and NAT. Destination measures cover state-funded schools only, so NAT is the
# state-funded England figure. Both spellings are accepted.
KS4_DEST_RECTYPES = {"1": "school", "2": "school", "4": "la", "LA": "la", "5": "england_all", "7": "england",
                     "NAT": "england"}

KIND_LABELS = {
    "ks2": "KS2 results",
    "ks4": "KS4 results",
    "absence": "Absence",
    "census": "School census",
    "ofsted": "Ofsted inspections",
    "suspensions": "Suspensions and exclusions",
    "ks4_destinations": "KS4 destinations",
}
KINDS = tuple(KIND_LABELS)

# Columns that tell the kinds apart. A header is scored against each; the best wins.
KIND_SIGNS = {
    "ks2": ("PTRWM_EXP", "PTRWM_HIGH", "READPROG", "WRITPROG", "MATPROG", "TELIG", "READ_AVERAGE", "PTREAD_EXP"),
    "ks4": ("ATT8SCR", "P8MEA", "PTL2BASICS_95", "PTL2BASICS_94", "EBACCAPS", "TPUP", "P8PUP", "PTEBACC_95"),
    "absence": ("PERCTOT", "PPERSABS10", "PPERSABS15"),
    "census": ("NOR", "PNUMFSMEVER", "PSENELK", "PSENELSE", "PNUMEAL", "NUMFSMEVER", "TSENELK"),
    "ofsted": (
        "Latest OEIF overall effectiveness",
        "Overall effectiveness",
        "Inspection start date of latest OEIF graded inspection",
        "Ungraded inspection overall outcome",
        "Safeguarding standards",
    ),
    "suspensions": ("susp_rate", "perm_excl_rate", "suspension", "perm_excl", "one_plus_susp_rate"),
    "ks4_destinations": ("OVERALL_DESTPER", "EDUCATIONPER", "APPRENPER", "EMPLOYMENTPER", "NOT_SUSTAINEDPER",
                         "OVERALL_DEST", "COHORT"),
}

KS2_MEASURES_ALL = (
    MeasureColumn("ks2_rwm_exp", ("PTRWM_EXP",)),
    MeasureColumn("ks2_rwm_high", ("PTRWM_HIGH",)),
    MeasureColumn("ks2_read_prog", ("READPROG",)),
    MeasureColumn("ks2_writ_prog", ("WRITPROG",)),
    MeasureColumn("ks2_mat_prog", ("MATPROG",)),
    MeasureColumn("ks2_dis_rwm_exp", ("PTRWM_EXP_FSM6CLA1A",)),
)
KS2_PROGRESS = ("ks2_read_prog", "ks2_writ_prog", "ks2_mat_prog")

KS4_MEASURES_ALL = (
    MeasureColumn("ks4_att8", ("ATT8SCR",)),
    MeasureColumn("ks4_p8", ("P8MEA",)),
    MeasureColumn("ks4_basics_95", ("PTL2BASICS_95",)),
    MeasureColumn("ks4_ebacc_aps", ("EBACCAPS",)),
)

# No KS2 or KS4 performance tables for the pandemic years (assessments and exams cancelled).
NOT_PUBLISHED = {("ks2", 2019), ("ks2", 2020), ("ks4", 2019), ("ks4", 2020)}
# KS2 progress needs KS1 results four years earlier: none for 2023/24 and 2024/25 leavers
# (KS1 2020 and 2021 were cancelled). Progress 8 is not published for 2024/25 and 2025/26.
KS2_NO_PROGRESS_FROM = 2023
KS2_NO_PROGRESS_UNTIL = 2025
KS4_NO_P8 = (2024, 2025)

# KS4 destinations: the share of the pupils who finished KS4 in one academic year who were in
# education, an apprenticeship or employment for at least two terms of the NEXT year. The portal
# files these figures under that next year, the destination year: the 2019 tables' file (pupils who
# finished KS4 in 2016/17) is 2017 = 2017/18. Like KS2/KS4, the file repeats earlier cohorts in
# columns suffixed with their publication year (OVERALL_DESTPER_18 = 2015/16 leavers, whose
# destination year 2016/17 started in 2016), so the file's own destination year is 2000 + the
# highest suffix - 1. A year in the file name or chosen by the user is read as the destination year.
KS4_DEST_MEASURES = (
    MeasureColumn("ks4_dest_overall", ("OVERALL_DESTPER",)),
    MeasureColumn("ks4_dest_education", ("EDUCATIONPER",)),
    MeasureColumn("ks4_dest_apprenticeship", ("APPRENPER",)),
    MeasureColumn("ks4_dest_employment", ("EMPLOYMENTPER",)),
    MeasureColumn("ks4_dest_not_sustained", ("NOT_SUSTAINEDPER",)),
    MeasureColumn("ks4_dest_unknown", ("UNKNOWNPER",)),
)
FIRST_YEAR = 2010



def profile_for(kind, year, *, variant="final", header=()):
    """The profile of `kind` for academic `year` (start year). Raises ProfileError when there is none."""
    if kind not in KINDS:
        raise ProfileError(f"unknown kind '{kind}'", "one of " + ", ".join(KINDS))
    if kind == "ofsted":
        legacy = "Overall effectiveness" in header and "Latest OEIF overall effectiveness" not in header
        return Profile(
            kind="ofsted",
            name="ofsted_mi_legacy" if legacy else "ofsted_mi",
            label="Ofsted inspections (single-grade format)" if legacy else "Ofsted inspections (management information)",
            year=year,
            layout="ofsted",
            key_columns=("URN", "Overall effectiveness", "Inspection start date") if legacy else ("URN", "Latest OEIF overall effectiveness", "Inspection start date of latest OEIF graded inspection"),
            measures=OFSTED_REPORT_CARD,
        )
    if year is None:
        raise ProfileError("the academic year is not known", "a year in the file name (e.g. 2018-19) or a chosen year")
    if kind == "ks4_destinations":
        return Profile(
            kind=kind, name=f"ks4_destinations_{year}", label=f"KS4 destinations in {year_label(year)} "
            f"(pupils who finished KS4 in {year_label(year - 1)})", year=year, layout="rectype",
            key_columns=("RECTYPE", "LEA", "URN"), measures=KS4_DEST_MEASURES, cohort_column="COHORT",
            rectypes=KS4_DEST_RECTYPES,
        )
    if (kind, year) in NOT_PUBLISHED:
        raise ProfileError(
            f"no {KIND_LABELS[kind]} were published for {year_label(year)} (assessments cancelled in the pandemic)",
            "a year other than 2019/20 and 2020/21",
        )
    if kind == "ks2":
        progress = year < KS2_NO_PROGRESS_FROM or year > KS2_NO_PROGRESS_UNTIL
        measures = tuple(m for m in KS2_MEASURES_ALL if progress or m.code not in KS2_PROGRESS)
        notes = () if progress else ("no progress measures are published for this year",)
        return Profile(
            kind="ks2", name=f"ks2_{variant}_{year}", label=f"KS2 {variant} results {year_label(year)}", year=year,
            layout="rectype", key_columns=("RECTYPE", "LEA", "URN"), measures=measures, cohort_column="TELIG",
            rectypes=KS2_RECTYPES, notes=notes,
        )
    if kind == "ks4":
        p8 = year not in KS4_NO_P8
        measures = tuple(m for m in KS4_MEASURES_ALL if p8 or m.code != "ks4_p8")
        notes = () if p8 else ("Progress 8 is not published for this year",)
        return Profile(
            kind="ks4", name=f"ks4_{variant}_{year}", label=f"KS4 {variant} results {year_label(year)}", year=year,
            layout="rectype", key_columns=("RECTYPE", "LEA", "URN"), measures=measures, cohort_column="TPUP",
            rectypes=KS4_RECTYPES, notes=notes,
        )
    if kind == "absence":
        # Persistent absence was 15% of sessions up to 2014/15, 10% since 2015/16: a different measure
        # (PRODUCT.md), stored under its own code so no chart, trend or target joins the two.
        persistent = "PPERSABS15" if year <= 2014 else "PPERSABS10"
        code = "abs_persistent_15" if year <= 2014 else "abs_persistent"
        return Profile(
            kind="absence", name=f"absence_{year}", label=f"Absence {year_label(year)}", year=year, layout="absence",
            key_columns=("LA", "ESTAB", "URN", "PERCTOT", persistent),
            measures=(MeasureColumn("abs_overall", ("PERCTOT",)), MeasureColumn(code, (persistent,))),
        )
    if kind == "census":
        return Profile(
            kind="census", name=f"census_{year}", label=f"School census January {year + 1}", year=year, layout="census",
            key_columns=("URN", "LA", "ESTAB", "NOR"),
            measures=(
                MeasureColumn("pupils", ("NOR",)),
                MeasureColumn("fsm_percent", ("PNUMFSMEVER",)),
                MeasureColumn("sen_percent", (), sum_of=("PSENELSE", "PSENELK")),
                MeasureColumn("eal_percent", ("PNUMEAL",)),
            ),
        )
    if kind == "suspensions":
        return Profile(
            kind="suspensions", name=f"suspensions_{year}", label=f"Suspensions and exclusions {year_label(year)}",
            year=year, layout="ees", key_columns=("school_urn", "time_period"),
            measures=(
                # Rates per 100 pupils: a school that suspends some pupils many times can pass 100.
                MeasureColumn("suspension_rate", ("susp_rate",)),
                MeasureColumn("perm_exclusion_rate", ("perm_excl_rate",)),
            ),
            cohort_column="headcount",
        )
    raise AssertionError(kind)


# Report-card areas (inspections from November 2025): text grades, kept apart from the old 1-4 grades.
OFSTED_REPORT_CARD = tuple(
    MeasureColumn(code, (column,))
    for code, column in (
        ("ofsted_rc_safeguarding", "Safeguarding standards"),
        ("ofsted_rc_inclusion", "Inclusion"),
        ("ofsted_rc_curriculum", "Curriculum and teaching"),
        ("ofsted_rc_achievement", "Achievement"),
        ("ofsted_rc_attendance", "Attendance and behaviour"),
        ("ofsted_rc_personal_dev", "Personal development and wellbeing"),
        ("ofsted_rc_early_years", "Early years (where applicable)"),
        ("ofsted_rc_post16", "Post-16 provision (where applicable)"),
        ("ofsted_rc_leadership", "Leadership and governance"),
    )
)
# Report-card scale stored as numbers (lower is better, like the old grades); safeguarding is met or not.
REPORT_CARD_GRADES = {
    "exceptional": 1.0,
    "strong standard": 2.0,
    "expected standard": 3.0,
    "needs attention": 4.0,
    "urgent improvement": 5.0,
    "met": 1.0,
    "not met": 5.0,
}
REPORT_CARD_WORDS = {
    1.0: "Exceptional",
    2.0: "Strong standard",
    3.0: "Expected standard",
    4.0: "Needs attention",
    5.0: "Urgent improvement",
}
OEIF_GRADES = {"1": "Outstanding", "2": "Good", "3": "Requires improvement", "4": "Inadequate"}


# --- Recognition ---------------------------------------------------------------------------------


class ProfileError(ValueError):
    """The file fits no profile. `expected` lists what would have fitted."""

    def __init__(self, message, expected, column="header"):
        super().__init__(message)
        self.expected = expected
        self.column = column


@dataclass(frozen=True)
class Recognised:
    kind: str
    year: int | None
    profile: Profile
    year_source: str  # "header", "file name", "chosen", "column time_period", "file date"
    warnings: tuple = ()
    # {measure code: unit} from the measure catalogue, set where the database is at hand: the unit
    # decides how a cell is checked (a percentage must lie within 0-100, a rate per 100 pupils need not).
    units: dict = field(default_factory=dict, compare=False)

    def unit(self, code):
        try:
            return self.units[code]
        except KeyError:
            raise ProfileError(f"the measure {code} is not in the measure catalogue",
                               "a measure the portal's catalogue lists (Measures in the admin)") from None


_NAME_YEAR = re.compile(r"(?<!\d)(20\d\d)[-_ ]?(?:20)?(\d\d)(?!\d)")
_NAME_DATE = re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")
_SUFFIX = {
    "ks2": re.compile(r"^(PTRWM_EXP|PTRWM_HIGH|READPROG|WRITPROG|MATPROG|TELIG|READ_AVERAGE|MAT_AVERAGE)_(\d\d)$"),
    "ks4": re.compile(r"^(ATT8SCR|P8MEA|P8PUP|EBACCAPS|P8CILOW|P8CIUPP)_(\d\d)$"),
    "ks4_destinations": re.compile(r"^(COHORT|OVERALL_DESTPER)_(\d\d)$"),
}
# Added to 2000 + the highest suffix (destination files: the suffix is the publication year).
_SUFFIX_OFFSET = {"ks4_destinations": -1}


def year_from_name(file_name):
    """'dfe_ptables_2018-19_936_surrey_ks2final.csv' -> 2018; '2018-2019_...' -> 2018; None if absent."""
    for m in _NAME_YEAR.finditer(file_name or ""):
        first, second = int(m.group(1)), int(m.group(2))
        if second == (first + 1) % 100:
            return first
    return None


def date_from_name(file_name):
    m = _NAME_DATE.search(file_name or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None



def year_from_header(kind, header):
    """The year a KS2/KS4 header belongs to, from its previous-years columns; None when it has none."""
    pattern = _SUFFIX.get(kind)
    if not pattern:
        return None
    suffixes = [int(m.group(2)) for m in map(pattern.match, header) if m]
    return 2000 + max(suffixes) + _SUFFIX_OFFSET.get(kind, 0) if suffixes else None


def year_column(kind, header):
    """The previous-years column that gives a KS file's year away (the highest suffix)."""
    pattern = _SUFFIX.get(kind)
    named = [(int(m.group(2)), -i, m.group(0)) for i, m in enumerate(map(pattern.match, header)) if m] if pattern else []
    return max(named)[2] if named else "header"  # the first column (in file order) with the highest suffix


def score_kinds(header):
    columns = set(header)
    return {kind: sum(1 for c in signs if c in columns) for kind, signs in KIND_SIGNS.items()}


def guess_kind(header):
    scores = score_kinds(header)
    best = max(scores.values())
    if best == 0:
        return None
    winners = [k for k, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 else None


def _expected_kinds():
    return "; ".join(f"{KIND_LABELS[k]} ({', '.join(KIND_SIGNS[k][:3])})" for k in KINDS)


def variant_from_name(file_name):
    name = (file_name or "").lower()
    return "provisional" if "provisional" in name else "final"


def recognise(header, file_name="", kind=None, year=None):
    """Which kind, year and profile a file belongs to. Raises ProfileError with what was expected."""
    header = [h.strip() for h in header]
    warnings = []
    if not any(header):
        raise ProfileError("the header row is empty", "a header row naming the DfE columns")
    guessed = guess_kind(header)
    if kind:
        kind = kind.strip().lower()
        if kind not in KINDS:
            raise ProfileError(f"unknown kind '{kind}'", "one of " + ", ".join(KINDS))
        own = score_kinds(header)[kind]
        if own == 0 or (guessed and guessed != kind and score_kinds(header)[guessed] > own):
            looks = f"; it looks like {KIND_LABELS[guessed]}" if guessed and guessed != kind else ""
            telling = next((c for c in KIND_SIGNS.get(guessed, ()) if c in header), header[0])
            raise ProfileError(
                f"this is not a {KIND_LABELS[kind]} file{looks}",
                f"{KIND_LABELS[kind]} columns such as " + ", ".join(KIND_SIGNS[kind][:4]),
                column=telling,
            )
    else:
        if guessed is None:
            raise ProfileError("the kind of file cannot be recognised from its columns", _expected_kinds(),
                               column="header")
        kind = guessed

    header_year = year_from_header(kind, header)
    name_year = year_from_name(file_name)
    year_source = "chosen"
    if kind == "ofsted":
        day = date_from_name(file_name)
        if day and (year is None or int(year) == academic_year_of(day)):
            year, year_source = academic_year_of(day), "file date"
    elif year is not None:
        year = int(year)
        # A chosen year the header or the name also gives is reported as read from them.
        year_source = "header" if header_year == year else "file name" if name_year == year else "chosen"
        if header_year is not None and header_year != year:
            raise ProfileError(
                f"the header is that of {year_label(header_year)} "
                f"(columns ending _{(header_year - _SUFFIX_OFFSET.get(kind, 0)) % 100}), "
                f"not {year_label(year)} as chosen",
                f"a {KIND_LABELS[kind]} file for {year_label(year)}",
                column=year_column(kind, header),
            )
        if name_year is not None and name_year != year:
            # The header, then the file name, then the user (PRODUCT.md): a year the name contradicts is refused.
            raise ProfileError(
                f"the file name says {year_label(name_year)}, not {year_label(year)} as chosen",
                f"the year in the file name ({year_label(name_year)}), or a file named for {year_label(year)}",
                column="header",
            )
    elif header_year is not None:
        if name_year is not None and name_year != header_year:
            raise ProfileError(
                f"the file name says {year_label(name_year)} but the header is that of {year_label(header_year)}",
                "a file whose name and columns agree, or a chosen year",
                column=year_column(kind, header),
            )
        year, year_source = header_year, "header"
    elif name_year is not None:
        year, year_source = name_year, "file name"
    elif kind == "suspensions":
        year_source = "column time_period"  # read from the rows
    else:
        raise ProfileError(
            f"the academic year of this {KIND_LABELS[kind]} file cannot be told from its name or columns",
            "a year in the file name (e.g. 2018-19) or a chosen year",
            column="header",
        )
    if year is not None and not FIRST_YEAR <= year <= date.today().year + 1:
        raise ProfileError(f"{year} is not a plausible academic year", f"a year from {FIRST_YEAR} to {date.today().year}")

    if kind == "suspensions" and year is None:
        profile = profile_for(kind, 0)
    else:
        profile = profile_for(kind, year, variant=variant_from_name(file_name) if kind in ("ks2", "ks4") else "final", header=header)
    _check_year_layout(profile, header)
    index = set(header)
    missing = [c for c in profile.key_columns if c not in index]
    if missing:
        raise ProfileError(
            f"column {missing[0]} is missing" + (f" (and {', '.join(missing[1:])})" if len(missing) > 1 else ""),
            f"{profile.label}: columns " + ", ".join(profile.key_columns),
            column=missing[0],
        )
    if profile.layout != "ofsted" and not any(m.locate(index) for m in profile.measures):
        first = profile.measures[0]
        raise ProfileError(
            "none of the measure columns is in the file",
            f"{profile.label}: at least one of " + ", ".join(c for m in profile.measures for c in (m.columns or m.sum_of)),
            column=(first.columns or first.sum_of)[0],
        )
    return Recognised(kind=kind, year=year, profile=profile, year_source=year_source, warnings=tuple(warnings))


def _check_year_layout(profile, header):
    """Columns that only exist in some years: a header of another year for the chosen year is refused."""
    columns = set(header)
    if profile.kind == "absence":
        wrong = "PPERSABS10" if profile.year <= 2014 else "PPERSABS15"
        if wrong in columns and profile.key_columns[-1] not in columns:
            span = "2015/16 or later" if wrong == "PPERSABS10" else "2014/15 or earlier"
            raise ProfileError(
                f"the header is that of {span} ({wrong}), not {year_label(profile.year)} as chosen",
                f"{profile.label}: columns " + ", ".join(profile.key_columns),
                column=wrong,
            )
