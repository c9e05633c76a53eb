"""Two more DfE performance-table downloads for the one import pipeline.

- `ks4_mats`: MAT-level KS4 performance (`england_ks4-mats-performance.csv`): one row per trust, its
  pupil-weighted headline figures. Stored as `TrustValue` by GIAS group UID under the measure codes the
  school figures use (ks4_att8, ks4_p8, ks4_basics_95, ks4_ebacc_aps). Shown on the public trust page
  beside England: published data, never rated.
- `school_information`: the performance tables' school information ("spine") file. It carries register
  facts, but GIAS is the authority for the register: this import never creates a school and never
  changes what the register import owns (name, LA, type, status). For schools already in the register
  it only fills gaps: the age range, open/close dates, gender, religious character and admissions
  policy when the school has none (a value the register or an earlier import set is never
  overwritten; "Not recorded" and "Unknown" fill nothing). Rows for schools not in the register are
  warnings.

Same rules as every kind (pipeline.py): validate every row first (fatal errors name file, row and
column; nothing is written), write only what is new or changed in one transaction, so a re-import
changes nothing.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone

from pep_portal import bulk

from .. import measures as measures_catalogue
from ..years import year_label
from .cells import CellError, parse_cell
from .kinds import Kind, register_kind
from .plan import Plan, load_existing
from .profiles import year_from_name
from .reading import ImportProblem

_DIGITS = re.compile(r"^\d+$")


def _cell(row, i):
    return row[i].strip() if i is not None and i < len(row) else ""


def _same(old, new):
    return old[0] == new[0] and (old[1] or "") == (new[1] or "") and old[2] == new[2]


def _shown(value, marker):
    return marker if marker else value


# ------------------------------------------------------------------------------ MAT KS4 performance
# (measure code, column); units come from the measure catalogue. Progress 8 is "NA" in 2024/25 and
# 2025/26 files: kept as the marker.
MAT_MEASURES = (
    ("ks4_att8", "ATT8SCR_WGTAVG"),
    ("ks4_p8", "P8MEA_WGTAVG"),
    ("ks4_basics_95", "PTL2BASICS_95_WGTAVG"),
    ("ks4_ebacc_aps", "EBACCAPS_WGTAVG"),
)
MAT_COHORT = "TPUP_MATPTINC"  # pupils at the end of KS4 in the trust's schools counted in the figures


class TrustKs4Kind(Kind):
    code = "ks4_mats"
    label = "MAT KS4 performance"
    order = 60
    signature = ("TRUST_UID", "TRUST_NAME", "ATT8SCR_WGTAVG", "PTL2BASICS_95_WGTAVG", "EBACCAPS_WGTAVG",
                 "P8MEA_WGTAVG", "TIME_PERIOD", "INSTITUTIONS_MATPTINC")
    required = ("TRUST_UID", "TIME_PERIOD")
    file_pattern = r"mats?-performance|ks4-mats"
    needs_year = True
    description = "MAT KS4 performance: DfE columns TRUST_UID, ATT8SCR_WGTAVG, PTL2BASICS_95_WGTAVG"

    def score(self, table):
        base = super().score(table)
        return base + 100 if base else 0  # ahead of any kind sharing a column or two

    def detect_year(self, table):
        i = table.col("TIME_PERIOD")
        for row in table.rows:
            period = _cell(row, i)
            if re.match(r"^20\d{4}$", period):
                return int(period[:4])
        return year_from_name(table.file_name)

    def validate(self, ctx):
        from schools.models import Benchmark, Measure, TrustValue

        table = ctx.table
        plan = Plan()
        if not any(table.has(col) for _, col in MAT_MEASURES):
            raise ImportProblem("none of the trust measure columns is in the file", file=ctx.file_name, row=1,
                                column=MAT_MEASURES[0][1],
                                expected="at least one of " + ", ".join(c for _, c in MAT_MEASURES))
        uid_i, period_i, name_i, cohort_i = (table.col("TRUST_UID"), table.col("TIME_PERIOD"),
                                             table.col("TRUST_NAME"), table.col(MAT_COHORT))
        units = measures_catalogue.units()
        measures = [(code, col, units[code], table.col(col)) for code, col in MAT_MEASURES if table.has(col)]
        width = len(table.header)
        trusts, first_row = {}, {}
        for number, row in ctx.iter_rows():
            if not any(c.strip() for c in row):
                continue
            if len(row) > width and any(c.strip() for c in row[width:]):
                ctx.error(number, f"field {width + 1} (after the last column)",
                          f"the row has {len(row)} fields, more than the {width} columns of the header",
                          f"at most {width} fields, or empty extra fields")
                continue
            period = _cell(row, period_i)
            if not re.match(r"^20\d{4}$", period):
                ctx.error(number, "TIME_PERIOD", f"time period '{period or 'blank'}' is not an academic year",
                          "six digits such as 202425")
                continue
            if int(period[:4]) != ctx.year:
                ctx.error(number, "TIME_PERIOD", f"time period {period} is {year_label(int(period[:4]))}, but the "
                          f"file is for {year_label(ctx.year)}", f"every row in {year_label(ctx.year)}")
                continue
            uid_text = _cell(row, uid_i)
            if not _DIGITS.match(uid_text):
                ctx.error(number, "TRUST_UID", f"the trust UID '{uid_text or 'blank'}' is not a number",
                          "a GIAS group UID: a whole number such as 2157")
                continue
            uid = int(uid_text)
            if uid in first_row:
                ctx.error(number, "TRUST_UID", f"trust UID {uid} appears twice (also row {first_row[uid]})",
                          "each trust once")
                continue
            first_row[uid] = number
            values = {}
            for code, col, unit, i in measures:
                try:
                    values[code] = parse_cell(_cell(row, i), unit)
                except CellError as exc:
                    ctx.error(number, col, str(exc), exc.expected)
            cohort = None
            text = _cell(row, cohort_i)
            if text:
                if _DIGITS.match(text):
                    cohort = int(text)
                elif text.upper() not in ("NA", "SUPP", "NP", "NE"):
                    ctx.error(number, MAT_COHORT, f"'{text}' is not a whole number of pupils", "a whole number")
            trusts[uid] = (number, _cell(row, name_i), values, cohort)
        if ctx.error_count:
            return plan

        measure_ids = dict(Measure.objects.filter(code__in=[m[0] for m in measures]).values_list("code", "id"))
        missing = [m[0] for m in measures if m[0] not in measure_ids]
        if missing:
            raise ImportProblem(f"the measure {missing[0]} is not set up in the portal", file=ctx.file_name,
                                expected="the measures created by the schools migrations (run manage.py migrate)")
        from schools.models import Trust

        known = set(Trust.objects.filter(uid__in=list(trusts)).values_list("uid", flat=True))
        existing = {
            (r[0], r[1]): r[2:]
            for r in TrustValue.objects.filter(trust_uid__in=list(trusts), year=ctx.year).values_list(
                "trust_uid", "measure_id", "value", "marker", "cohort", "source_id", "trust_name")
        }
        rows, changes = [], []
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        for uid, (number, name, values, cohort) in trusts.items():
            if uid not in known:
                # Kept (by UID) so it shows once the trust is imported; listed so nobody expects it yet.
                ctx.warn(number, "TRUST_UID", f"trust UID {uid} ({name}) is not in the register; its figures are "
                         "kept by UID and shown once the trust is imported", code="trust_not_in_register")
            statuses, row_changes = set(), {}
            for code, (value, marker) in values.items():
                mid = measure_ids[code]
                new = (value, marker, cohort)
                old = existing.get((uid, mid))
                if old is None:
                    statuses.add("new")
                    counts["new"] += 1
                    rows.append((uid, name, mid, value, marker, cohort))
                elif _same(old[:3], new) and old[4] == name:
                    counts["unchanged"] += 1
                else:
                    statuses.add("changed")
                    counts["changed"] += 1
                    rows.append((uid, name, mid, value, marker, cohort))
                    if not _same(old[:3], new):
                        changes.append((uid, mid, old[0], old[1] or "", value, marker, old[3]))
                        row_changes[code] = (_shown(old[0], old[1]), _shown(value, marker))
            status = "changed" if "changed" in statuses else "new" if "new" in statuses else "unchanged"
            plan.add(uid, status, changes=row_changes, row=number, label=name or str(uid))
        england = Benchmark.objects.filter(measure_id__in=measure_ids.values(), year=ctx.year,
                                           area=Benchmark.Area.ENGLAND).count()
        plan.payload = {"rows": rows, "changes": changes, "year": ctx.year}
        plan.summary = {
            "file profile": f"MAT KS4 performance {year_label(ctx.year)}",
            "columns used": ", ".join(f"{code} from {col}" for code, col, _, _ in measures),
            "trust rows": len(trusts),
            "trusts in the register": len(known),
            "trusts not in the register (figures kept by UID)": len(trusts) - len(known),
            "figures new": counts["new"],
            "figures changed": counts["changed"],
            "figures unchanged": counts["unchanged"],
            "England figures for this year": england or "none imported yet (import a KS4 file for England)",
        }
        return plan

    def write(self, ctx, plan):
        from schools.models import TrustValue, ValueChange

        from .performance import CHANGE_FIELDS

        record = ctx.record
        year = plan.payload["year"]
        record_id = record.pk if record is not None else None
        now = timezone.now()
        bulk.upsert(TrustValue, ("trust_uid", "trust_name", "measure_id", "year", "value", "marker", "cohort",
                                 "source_id", "updated_at"),
                    [(uid, name, mid, year, value, marker, cohort, record_id, now)
                     for uid, name, mid, value, marker, cohort in plan.payload["rows"]],
                    unique=("trust_uid", "measure_id", "year"),
                    update=("trust_name", "value", "marker", "cohort", "source_id", "updated_at"))
        if record_id is not None and plan.payload["changes"]:
            bulk.insert(ValueChange, CHANGE_FIELDS, [
                (None, "", "", "", mid, year, ov, om, nv, nm, osrc, record_id, now, uid)
                for uid, mid, ov, om, nv, nm, osrc in plan.payload["changes"]
            ])
        return plan.new + plan.changed


# --------------------------------------------------------------------------- school information
# Spine column names differ between releases (the 2018/19 metadata: AGELOW, RELCHAR, SCHOOLTYPE; the
# LA download: AGEL, RELDENOM, NFTYPE): first present wins.
SPINE_COLUMNS = {
    "low_age": ("AGEL", "AGELOW"),
    "high_age": ("AGEH", "AGEHIGH"),
    "gender": ("GENDER",),
    "religious_character": ("RELDENOM", "RELCHAR"),
    "admissions_policy": ("ADMPOL",),
    "open_date": ("OPENDATE",),
    "close_date": ("CLOSEDATE",),
}
# Texts that say "we don't know": they never replace what the portal has.
NOT_KNOWN = {"", "not recorded", "unknown", "not applicable", "na", "null"}
# AGEH 99 is used for "no upper age" (e.g. some independent schools): not an age to record.
MAX_AGE = 25
FIELD_LENGTHS = {"gender": 20, "religious_character": 60, "admissions_policy": 40}


def parse_spine_date(text):
    """'20190831' or '31/08/2019' or '2019-08-31' -> date; '' -> None; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    if re.match(r"^\d{8}$", text):
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    m = re.match(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$", text)
    if m:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", text)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(text)


class SchoolInformationKind(Kind):
    code = "school_information"
    label = "School information (performance tables spine)"
    order = 40  # after the register, before performance files
    signature = ("URN", "LAESTAB", "SCHNAME", "MINORGROUP", "ISPRIMARY", "ISSECONDARY", "ISPOST16", "GENDER",
                 "ADMPOL")
    required = ("URN",)
    file_pattern = r"spine|school_information"
    needs_year = False  # register facts, not figures for a year

    def score(self, table):
        telling = ("LAESTAB", "MINORGROUP", "ISPRIMARY", "ISSECONDARY", "ISPOST16", "ADMPOL", "GENDER")
        found = sum(1 for c in telling if table.has(c))
        if found < 4 or not table.has("URN"):
            return 0
        return 100 + found + (20 if re.search(self.file_pattern, table.file_name, re.IGNORECASE) else 0)

    def validate(self, ctx):
        from schools.models import School

        table = ctx.table
        plan = Plan()
        cols = {f: next((table.col(c) for c in names if table.has(c)), None) for f, names in SPINE_COLUMNS.items()}
        col_names = {f: next((c for c in names if table.has(c)), names[0]) for f, names in SPINE_COLUMNS.items()}
        if all(i is None for i in cols.values()):
            raise ImportProblem("none of the school information columns is in the file", file=ctx.file_name, row=1,
                                column="AGEL", expected="columns such as " + ", ".join(n[0] for n in SPINE_COLUMNS.values()))
        urn_i, name_i = table.col("URN"), table.col("SCHNAME")
        width = len(table.header)
        facts, first_row = {}, {}
        for number, row in ctx.iter_rows():
            if not any(c.strip() for c in row):
                continue
            if len(row) > width and any(c.strip() for c in row[width:]):
                ctx.error(number, f"field {width + 1} (after the last column)",
                          f"the row has {len(row)} fields, more than the {width} columns of the header",
                          f"at most {width} fields, or empty extra fields")
                continue
            urn_text = _cell(row, urn_i)
            if not _DIGITS.match(urn_text):
                ctx.error(number, "URN", f"the URN '{urn_text}' is not a number" if urn_text else "the URN is blank",
                          "a URN: a whole number such as 121293")
                continue
            urn = int(urn_text)
            if urn in first_row:
                ctx.error(number, "URN", f"URN {urn} appears twice (also row {first_row[urn]})", "each school once")
                continue
            first_row[urn] = number
            found = {}
            for field in ("low_age", "high_age"):
                text = _cell(row, cols[field])
                if not text:
                    continue
                if not _DIGITS.match(text):
                    ctx.error(number, col_names[field], f"'{text}' is not an age", "a whole number of years, or blank")
                elif int(text) <= MAX_AGE:
                    found[field] = int(text)
            for field in ("open_date", "close_date"):
                text = _cell(row, cols[field])
                try:
                    day = parse_spine_date(text)
                except ValueError:
                    ctx.error(number, col_names[field], f"'{text}' is not a date", "a date such as 20190831 or blank")
                    continue
                if day:
                    found[field] = day
            for field, length in FIELD_LENGTHS.items():
                text = _cell(row, cols[field])
                if text.lower() in NOT_KNOWN:
                    continue
                if len(text) > length:
                    ctx.error(number, col_names[field], f"'{text[:40]}' is longer than {length} characters",
                              f"a short text such as {'Mixed' if field == 'gender' else 'Church of England'}")
                    continue
                found[field] = text
            facts[urn] = (number, _cell(row, name_i), found)
        if ctx.error_count:
            return plan

        fields = ["low_age", "high_age", "open_date", "close_date", *FIELD_LENGTHS]
        register = load_existing(School.objects.all(), "urn", ["id", *fields], keys=list(facts))
        updates = []
        for urn, (number, name, found) in facts.items():
            current = register.get(urn)
            if current is None:
                ctx.warn(number, "URN", f"URN {urn}{' (' + name + ')' if name else ''} is not in the register; "
                         "skipped (schools come from the GIAS register import)", code="unknown_urn")
                plan.skip()
                continue
            change = {}
            for field, value in found.items():
                old = current[field]
                if old is None or old == "":  # the register (GIAS) wins: the spine only fills gaps
                    change[field] = (old, value)
            if change:
                updates.append((current["id"], {f: new for f, (_, new) in change.items()}))
                plan.add(urn, "changed", changes=change, row=number, label=name)
            else:
                plan.add(urn, "unchanged", row=number, label=name)
        matched = len(facts) - plan.skipped
        if facts and not matched:
            ctx.warn(None, "URN", "no schools of the partnership in this file", code="no_partnership_schools")
        plan.payload = {"updates": updates}
        plan.summary = {
            "school rows": len(facts),
            "schools in the register": matched,
            "schools not in the register (skipped, never created)": plan.skipped,
            "schools updated": len(updates),
        }
        if facts and not matched:
            plan.summary["note"] = "no schools of the partnership in this file"
        return plan

    def write(self, ctx, plan):
        from schools.models import School

        # updated_at too: the register caches (register_cache.py) key on it.
        now = timezone.now()
        by_fields = {}
        for school_id, changes in plan.payload["updates"]:
            by_fields.setdefault(tuple(sorted(changes)) + ("updated_at",), []).append(
                School(id=school_id, updated_at=now, **changes))
        for fields, objs in by_fields.items():
            School.objects.bulk_update(objs, list(fields), batch_size=500)
        return len(plan.payload["updates"])


register_kind(TrustKs4Kind())
register_kind(SchoolInformationKind())
