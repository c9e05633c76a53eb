"""GIAS (Get Information About Schools) files: establishments, groups, group links, links.

Register categories follow PRODUCT.md ("Register categories"): the governance category comes from
`EstablishmentTypeGroup (name)`; the 2015 EduBase layout has no type group, so it is derived from
`TypeOfEstablishment (name)` with the same GIAS lookup.
"""

import datetime
import functools
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from pep_portal import bulk
from schools.models import Governance, LocalAuthority, Phase, School, SchoolLink, Trust, TrustLink

from . import register_columns
from .pipeline import Kind, Plan, compare, load_existing, register_kind

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


def _cell(row, index):
    return row[index].strip() if index is not None else ""


def partnership_refusal(ctx, expected_column="LA (code)"):
    from .reading import ImportProblem

    codes = ", ".join(ctx.la_codes)
    return ImportProblem(f"no rows for LA codes {codes}", file=ctx.file_name, column=expected_column,
                         expected=f"rows whose {expected_column} is one of {codes} (the partnership's LAs)")


# ------------------------------------------------------------------------------------ establishments
# School field -> (column names tried in order, parser). Only fields whose column is in the file are written.
ESTABLISHMENT_FIELDS = {
    "establishment_number": (("EstablishmentNumber",), lambda s: s[:8]),
    "name": (("EstablishmentName",), lambda s: s[:200]),
    "type_name": (("TypeOfEstablishment (name)",), lambda s: s[:120]),
    "phase_name": (("PhaseOfEducation (name)",), lambda s: s[:60]),
    "low_age": (("StatutoryLowAge",), parse_int),
    "high_age": (("StatutoryHighAge",), parse_int),
    "pupils": (("NumberOfPupils",), parse_int),
    "capacity": (("SchoolCapacity",), parse_int),
    "fsm_percent": (("PercentageFSM",), parse_percent),
    "ofsted_rating": (("OfstedRating (name)",), lambda s: "" if s.lower() in EMPTY_MARKERS else s[:40]),
    "ofsted_date": (("OfstedLastInsp",), parse_date),
    "postcode": (("Postcode",), lambda s: s.upper()[:10]),
    "town": (("Town",), lambda s: s[:100]),
    "easting": (("Easting",), parse_int),
    "northing": (("Northing",), parse_int),
    "website": (("SchoolWebsite", "WebsiteAddress"), website),
    "open_date": (("OpenDate",), parse_date),
    "close_date": (("CloseDate",), parse_date),
}
FIELD_COLUMN_LABEL = {f: cols[0] for f, (cols, _) in ESTABLISHMENT_FIELDS.items()}


class EstablishmentsKind(Kind):
    code = "gias_establishments"
    label = "GIAS establishment extract"
    order = 10
    signature = ("URN", "LA (code)", "EstablishmentName", "TypeOfEstablishment (name)",
                 "EstablishmentStatus (name)", "PhaseOfEducation (name)", "EstablishmentNumber")
    # A GIAS search download carries the columns the user ticked: these, and a type or a type group.
    required = ("URN", "LA (code)", "EstablishmentName")
    type_columns = ("EstablishmentTypeGroup (name)", "TypeOfEstablishment (name)")
    file_pattern = r"edubase|gias|establishment"

    def score(self, table):
        if all(table.has(c) for c in self.required) and any(table.has(c) for c in self.type_columns):
            return max(super().score(table), 60)
        return super().score(table)

    def validate(self, ctx):
        t = ctx.table
        plan = Plan()
        if not any(t.has(c) for c in self.type_columns):
            from .reading import ImportProblem

            raise ImportProblem("the columns EstablishmentTypeGroup (name) and TypeOfEstablishment (name) are both "
                                "missing", file=ctx.file_name, row=1, column="TypeOfEstablishment (name)",
                                expected="a GIAS establishment file with a type or a type group column")
        trust_columns = t.has("Trusts (code)") or t.has("Trusts (name)")
        links, trusts = set(), {}
        urn_i, la_i = t.col("URN"), t.col("LA (code)")
        la_name_i = t.col("LA (name)")
        group_i, type_i = t.col("EstablishmentTypeGroup (name)"), t.col("TypeOfEstablishment (name)")
        status_i, phase_i = t.col("EstablishmentStatus (name)"), t.col("PhaseOfEducation (name)")
        present = {}
        for fname, (cols, parser) in ESTABLISHMENT_FIELDS.items():
            i = t.first_col(*cols)
            if i is not None:
                present[fname] = (i, parser, t.header[i])
        codes = set(ctx.la_codes)
        seen = {}
        incoming = {}
        las = {}
        outside = {}
        for row_no, row in ctx.iter_rows():
            try:
                urn = parse_urn(row[urn_i])
            except BadValue as exc:
                ctx.error(row_no, "URN", str(exc), expected="a URN: a whole number such as 125003")
                continue
            if urn in seen:
                ctx.error(row_no, "URN", f"URN {urn} appears twice (also on row {seen[urn]})",
                          expected="each URN once")
                continue
            seen[urn] = row_no
            la_code = row[la_i].strip()
            if la_code not in codes:
                outside[la_code] = outside.get(la_code, 0) + 1
                ctx.warn(row_no, "LA (code)", f"URN {urn} is in LA {la_code or '(blank)'}, outside the partnership",
                         code="outside_partnership")
                plan.skip()
                continue
            las.setdefault(la_code, _cell(row, la_name_i) or f"LA {la_code}")
            values = {"la_code": la_code}
            for fname, (i, parser, column) in present.items():
                try:
                    values[fname] = parser(row[i].strip())
                except BadValue as exc:
                    ctx.warn(row_no, column, f"URN {urn}: {exc}; left empty", code="bad_value")
                    values[fname] = None if fname not in ("name",) else row[i].strip()[:200]
            type_name = _cell(row, type_i)
            type_group = _cell(row, group_i) or type_group_from_type(type_name)
            values["type_group"] = type_group[:80]
            values["governance"] = governance_for(type_group, type_name)
            # A narrower download without the phase leaves the phase as it was (never blanked).
            phase = phase_for(_cell(row, phase_i), type_name) if phase_i is not None else None
            if phase is None and phase_i is not None:
                ctx.warn(row_no, "PhaseOfEducation (name)",
                         f"URN {urn}: phase {_cell(row, phase_i)!r} is not a GIAS phase; read as not applicable",
                         code="unknown_phase")
                phase = Phase.NOT_APPLICABLE
            if phase is not None:
                values["phase"] = phase
            links.update((urn, linked, kind) for linked, kind in register_columns.read_links(ctx, row_no, row, urn))
            if trust_columns:
                trusts[urn] = (row_no, register_columns.read_trust(t, row, values["governance"]))
            if status_i is not None:  # without it, new schools are open (the model's default), others keep theirs
                status = STATUSES.get(_cell(row, status_i).lower())
                if status is None:
                    ctx.warn(row_no, "EstablishmentStatus (name)",
                             f"URN {urn}: status {_cell(row, status_i)!r} is not a GIAS status; read as open",
                             code="unknown_status")
                    status = School.Status.OPEN
                values["status"] = status
            if not values.get("name"):
                ctx.error(row_no, "EstablishmentName", f"URN {urn} has no name", expected="the school's name")
                continue
            incoming[urn] = (row_no, values)
        if not incoming and not ctx.error_count:
            raise partnership_refusal(ctx)
        ctx.progress(0.9)
        if type_i is None:
            _governance_from_stored_types(incoming)
        fields = list(next(iter(incoming.values()))[1]) if incoming else []
        db_fields = [f if f != "la_code" else "la__code" for f in fields]
        existing = load_existing(School.objects.all(), "urn", db_fields, keys=incoming)
        to_write = []
        for urn, (row_no, values) in incoming.items():
            old = existing.get(urn)
            if old is None:
                plan.add(urn, "new", row=row_no, label=values.get("name", ""))
                to_write.append((urn, values))
                continue
            old = {("la_code" if k == "la__code" else k): v for k, v in old.items()}
            changes = compare(old, values)
            if changes:
                plan.add(urn, "changed", row=row_no, label=values.get("name", ""),
                         changes={FIELD_COLUMN_LABEL.get(k, k): v for k, v in changes.items()})
                to_write.append((urn, values))
            else:
                plan.add(urn, "unchanged", row=row_no)
        plan.payload = {"fields": fields, "to_write": to_write, "las": las,
                        "links": register_columns.plan_links(links)}
        plan.summary = {"schools of the partnership in the file": len(incoming)}
        missing = register_columns.missing_columns(t)
        if missing:
            plan.summary["columns not in the file (left as they were)"] = ", ".join(missing)
        if status_i is None:
            plan.summary["status"] = ("the file has no EstablishmentStatus (name) column: its schools are taken as "
                                      "open (schools already in the portal keep their status)")
        if links:
            plan.summary["links to other establishments (Linked establishments)"] = len(links)
            plan.summary["links new to the portal"] = len(plan.payload["links"])
        plan.payload["trusts"] = register_columns.plan_trusts(plan, trusts)
        if outside:
            plan.summary["rows outside the partnership"] = sum(outside.values())
            plan.summary["other LA codes"] = len(outside)
        return plan

    def write(self, ctx, plan):
        las = plan.payload["las"]
        existing_las = dict(LocalAuthority.objects.filter(code__in=las).values_list("code", "name"))
        la_rows = [(c, n[:100]) for c, n in las.items()
                   if c not in existing_las or (n and not n.startswith("LA ") and existing_las[c] != n)]
        bulk.upsert(LocalAuthority, ("code", "name"), la_rows, unique=["code"], update=["name"])
        la_ids = dict(LocalAuthority.objects.filter(code__in=las).values_list("code", "id"))
        fields = [f for f in plan.payload["fields"] if f != "la_code"]
        # New schools need every non-null column: fill those the file does not have with model defaults.
        missing = [f for f in DEFAULTS if f not in fields]
        filler = tuple(DEFAULTS[f] for f in missing)
        now = timezone.now()
        rows = [(urn, la_ids[values["la_code"]], now, *[_default(f, values[f]) for f in fields], *filler)
                for urn, values in plan.payload["to_write"]]
        written = bulk.upsert(School, ("urn", "la_id", "updated_at", *fields, *missing), rows, unique=["urn"],
                              update=[*fields, "la_id", "updated_at"])
        register_columns.write_links(plan.payload["links"])
        trusts = plan.payload["trusts"]
        if trusts:
            school_ids = dict(School.objects.values_list("urn", "id"))  # one read, no long IN list
            register_columns.write_trusts(trusts, school_ids)
        return written


def _governance_from_stored_types(incoming):
    """A file with the type group but not the type: a school already known keeps the detail its stored type
    gives (special academy, non-maintained special, independent special)."""
    types = dict(School.objects.filter(urn__in=list(incoming)).exclude(type_name="").values_list("urn", "type_name"))
    for urn, type_name in types.items():
        values = incoming[urn][1]
        values["governance"] = governance_for(values["type_group"], type_name)


# Columns a new school row needs when the file has no column for them (not updated on existing rows).
DEFAULTS = {f.attname: (f.get_default() if f.has_default() else ("" if f.get_internal_type() == "CharField" else None))
            for f in School._meta.concrete_fields if f.attname not in ("id", "urn", "la_id", "updated_at")}


# Text columns are never NULL in the database (looked up once, not per cell).
NOT_NULL_TEXT = {f.name for f in School._meta.concrete_fields if f.get_internal_type() == "CharField"} | {"website"}


def _default(fname, value):
    if value is None and fname in NOT_NULL_TEXT:
        return ""
    return value


# --------------------------------------------------------------------------------------------- groups
class GroupsKind(Kind):
    code = "gias_groups"
    label = "GIAS all groups (trusts, sponsors, federations)"
    order = 20
    signature = ("Group UID", "Group Name", "Group Type", "Group Status", "Companies House Number")
    required = ("Group UID", "Group Name", "Group Type")
    file_pattern = r"group"

    def score(self, table):
        if table.has("URN"):
            return 0  # that is a group-links file
        return super().score(table)

    def validate(self, ctx):
        t = ctx.table
        plan = Plan()
        uid_i, name_i, type_i = t.col("Group UID"), t.col("Group Name"), t.col("Group Type")
        ch_i, status_i = t.col("Companies House Number"), t.col("Group Status")
        seen, incoming = {}, {}
        for row_no, row in ctx.iter_rows():
            try:
                uid = parse_urn(row[uid_i])
            except BadValue:
                ctx.error(row_no, "Group UID", f"{row[uid_i].strip()[:40]!r} is not a group UID",
                          expected="a whole number such as 2157")
                continue
            if uid in seen:
                ctx.error(row_no, "Group UID", f"group UID {uid} appears twice (also on row {seen[uid]})",
                          expected="each group UID once")
                continue
            seen[uid] = row_no
            incoming[uid] = (row_no, group_values(row[name_i], row[type_i], _cell(row, ch_i), _cell(row, status_i)))
        plan.payload = {"to_write": diff_groups(plan, incoming)}
        plan.summary = {"groups": len(incoming), "trusts (multi- and single-academy)": sum(
            1 for _, v in incoming.values() if v["type"] in (Trust.Type.MAT, Trust.Type.SAT))}
        return plan

    def write(self, ctx, plan):
        return write_groups(plan.payload["to_write"])


def companies_house_number(raw):
    """Companies House numbers are 8 characters; files re-saved by spreadsheets or pandas drop the
    leading zeros and may add ".0" (7768726.0 is 07768726). Letter prefixes (SC, NI) are kept."""
    value = raw.strip()
    if value.lower() in EMPTY_MARKERS:
        return ""
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    return value.zfill(8)[:12] if value.isdigit() else value.upper()[:12]


def group_values(name, type_name, ch_number, status):
    return {
        "name": name.strip()[:200],
        "type": GROUP_TYPES.get(type_name.strip().lower(), Trust.Type.OTHER),
        "companies_house_number": companies_house_number(ch_number),
        "status": status.strip()[:40],
    }


def diff_groups(plan, incoming, record_unchanged=True):
    existing = load_existing(Trust.objects.all(), "uid", ["name", "type", "companies_house_number", "status"],
                             keys=incoming)
    to_write = []
    for uid, (row_no, values) in incoming.items():
        old = existing.get(uid)
        if old is None:
            to_write.append((uid, values))
            if record_unchanged:
                plan.add(uid, "new", row=row_no, label=values["name"])
            continue
        changes = compare(old, values)
        if changes:
            to_write.append((uid, values))
            if record_unchanged:
                plan.add(uid, "changed", row=row_no, label=values["name"], changes=changes)
        elif record_unchanged:
            plan.add(uid, "unchanged", row=row_no)
    return to_write


def write_groups(to_write):
    fields = ("name", "type", "companies_house_number", "status")
    rows = [(uid, *(values[f] for f in fields)) for uid, values in to_write]
    return bulk.upsert(Trust, ("uid", *fields), rows, unique=["uid"], update=fields)


# ---------------------------------------------------------------------------------------- group links
def _type_class(trust_type):
    if trust_type in (Trust.Type.MAT, Trust.Type.SAT, Trust.Type.TRUST):
        return "trust"
    return trust_type


class GroupLinksKind(Kind):
    code = "gias_group_links"
    label = "GIAS group links (schools in trusts)"
    order = 30
    signature = ("URN", "Group UID", "Group Name", "Group Type", "Joined date", "LA (code)")
    required = ("URN", "Group Name", "Group Type")
    file_pattern = r"links"

    def score(self, table):
        if not table.has("URN") or not (table.has("Linked UID") or table.has("Group UID")):
            return 0
        present = sum(1 for n in ("Group Name", "Group Type", "Joined date", "LA (code)") if table.has(n))
        return 60 + present * 10

    def validate(self, ctx):
        t = ctx.table
        plan = Plan()
        if not (t.has("Linked UID") or t.has("Group UID")):
            from .reading import ImportProblem

            raise ImportProblem("the column Group UID is missing", file=ctx.file_name, row=1, column="Group UID",
                                expected="a group UID column (Linked UID or Group UID)")
        urn_i, uid_i = t.col("URN"), t.first_col("Linked UID", "Group UID")
        uid_label = t.header[uid_i]
        name_i, type_i, ch_i = t.col("Group Name"), t.col("Group Type"), t.col("Companies House Number")
        status_i, joined_i, la_i = t.col("Group Status"), t.col("Joined date"), t.col("LA (code)")
        codes = set(ctx.la_codes)
        school_ids = dict(School.objects.filter(urn__isnull=False).values_list("urn", "id"))
        groups, links = {}, {}
        any_partnership = la_i is None
        for row_no, row in ctx.iter_rows():
            try:
                urn = parse_urn(row[urn_i])
            except BadValue as exc:
                ctx.error(row_no, "URN", str(exc), expected="a URN: a whole number")
                continue
            try:
                uid = parse_urn(row[uid_i])
            except BadValue:
                ctx.error(row_no, uid_label, f"{row[uid_i].strip()[:40]!r} is not a group UID",
                          expected="a whole number such as 2157")
                continue
            if la_i is not None:
                la_code = row[la_i].strip()
                if la_code not in codes:
                    ctx.warn(row_no, "LA (code)", f"URN {urn} is in LA {la_code or '(blank)'}, outside the partnership",
                             code="outside_partnership")
                    plan.skip()
                    continue
                any_partnership = True
            if urn not in school_ids:
                ctx.warn(row_no, "URN", f"URN {urn} is not in the register (import the establishment extract first)",
                         code="not_in_register")
                plan.skip()
                continue
            try:
                joined = parse_date(_cell(row, joined_i))
            except BadValue as exc:
                ctx.warn(row_no, "Joined date", f"URN {urn}: {exc}; read as unknown", code="bad_value")
                joined = None
            values = group_values(row[name_i], row[type_i], _cell(row, ch_i), _cell(row, status_i))
            groups.setdefault(uid, (row_no, values))
            key = (uid, urn, joined)
            if key in links:
                continue  # the same link twice in one file is one link
            links[key] = row_no
        if not any_partnership and not ctx.error_count:
            raise partnership_refusal(ctx)
        # Groups named in the file but not yet known are created from it. Known groups keep their details:
        # the groups file is the authority (the links file spells names differently, e.g. in capitals).
        known = set(Trust.objects.filter(uid__in=list(groups)).values_list("uid", flat=True))
        groups_to_write = [(uid, values) for uid, (_, values) in groups.items() if uid not in known]
        existing_links = {}
        urns_in_file = {urn for (_, urn, _) in links}
        for link in TrustLink.objects.filter(school__urn__in=list(urns_in_file), from_register=False).values(
            "id", "trust__uid", "trust__type", "school__urn", "joined_on", "left_on"
        ).iterator():
            existing_links[(link["trust__uid"], link["school__urn"], link["joined_on"])] = link
        new_links, reopen = [], []
        for key, row_no in links.items():
            uid, urn, joined = key
            old = existing_links.get(key)
            if old is None:
                new_links.append(key)
                plan.add(f"{urn} in {uid}", "new", row=row_no, label=f"URN {urn} joins {groups[uid][1]['name']}")
            elif old["left_on"] is not None:
                reopen.append(old["id"])
                plan.add(f"{urn} in {uid}", "changed", row=row_no, label=f"URN {urn} in {groups[uid][1]['name']}",
                         changes={"left": (old["left_on"], None)})
            else:
                plan.add(f"{urn} in {uid}", "unchanged", row=row_no)
        # A school listed in this file that is no longer linked to a group it was in has left it
        # (history is kept: the link gets a leaving date, it is not deleted).
        joined_by_class = {}
        for uid, urn, joined in links:
            cls = _type_class(groups[uid][1]["type"])
            joined_by_class[(urn, cls)] = max(filter(None, [joined_by_class.get((urn, cls)), joined]), default=None)
        today = timezone.localdate()
        leaving = []
        for key, old in existing_links.items():
            if key in links or old["left_on"] is not None:
                continue
            cls = _type_class(old["trust__type"])
            left_on = joined_by_class.get((old["school__urn"], cls)) or today
            if old["joined_on"] and left_on < old["joined_on"]:
                left_on = today
            leaving.append((old["id"], left_on))
            plan.add(f"{old['school__urn']} left {old['trust__uid']}", "changed",
                     label=f"URN {old['school__urn']} left group {old['trust__uid']}",
                     changes={"left": (None, left_on)})
        plan.payload = {"groups": groups_to_write, "new_links": new_links, "reopen": reopen, "leaving": leaving,
                        "school_ids": {urn: school_ids[urn] for urn in urns_in_file}}
        trust_schools = {urn for (uid, urn, _) in links if groups[uid][1]["type"] in (Trust.Type.MAT, Trust.Type.SAT)}
        plan.summary = {
            "links": len(links),
            # An academy is linked to its trust and to its sponsor: two links, one school.
            "schools linked": len(urns_in_file),
            "schools in a trust": len(trust_schools),
            "trusts (multi- and single-academy)": len({uid for (uid, _, _) in links
                                                       if groups[uid][1]["type"] in (Trust.Type.MAT, Trust.Type.SAT)}),
            "groups created": len(groups_to_write),
        }
        return plan

    def write(self, ctx, plan):
        p = plan.payload
        # Group links are the record: the links a register file stood in with give way to them.
        TrustLink.objects.filter(from_register=True).delete()
        write_groups(p["groups"])
        trust_ids = dict(Trust.objects.filter(uid__in={uid for uid, _, _ in p["new_links"]}).values_list("uid", "id"))
        rows = [(trust_ids[uid], p["school_ids"][urn], joined, False) for uid, urn, joined in p["new_links"]]
        bulk.upsert(TrustLink, ("trust_id", "school_id", "joined_on", "from_register"), rows,
                    unique=["trust_id", "school_id", "joined_on"])
        if p["reopen"]:
            TrustLink.objects.filter(id__in=p["reopen"]).update(left_on=None)
        if p["leaving"]:
            TrustLink.objects.bulk_update([TrustLink(id=i, left_on=d) for i, d in p["leaving"]], ["left_on"],
                                          batch_size=1000)
        return len(rows) + len(p["reopen"]) + len(p["leaving"])


# ---------------------------------------------------------------------------------------------- links
class LinksKind(Kind):
    code = "gias_links"
    label = "GIAS links (predecessor and successor schools)"
    order = 40
    signature = ("URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate")
    required = ("URN", "LinkURN", "LinkType")
    file_pattern = r"links"

    def validate(self, ctx):
        t = ctx.table
        plan = Plan()
        urn_i, link_i, type_i = t.col("URN"), t.col("LinkURN"), t.col("LinkType")
        date_i = t.col("LinkEstablishedDate")
        register = set(School.objects.values_list("urn", flat=True))
        incoming = {}
        for row_no, row in ctx.iter_rows():
            try:
                urn = parse_urn(row[urn_i])
                linked = parse_urn(row[link_i])
            except BadValue as exc:
                column = "URN" if not re.fullmatch(r"\d{1,9}", row[urn_i].strip()) else "LinkURN"
                ctx.error(row_no, column, str(exc), expected="a URN: a whole number")
                continue
            if urn not in register and linked not in register:
                ctx.warn(row_no, "URN", f"neither URN {urn} nor {linked} is in the register", code="not_in_register")
                plan.skip()
                continue
            try:
                established = parse_date(_cell(row, date_i))
            except BadValue as exc:
                ctx.warn(row_no, "LinkEstablishedDate", f"URN {urn}: {exc}; read as unknown", code="bad_value")
                established = None
            incoming[(urn, linked, row[type_i].strip()[:60])] = (row_no, {"link_established": established})
        existing = {}
        if incoming:
            urns = {k[0] for k in incoming}
            for item in SchoolLink.objects.filter(urn__in=list(urns)).values("id", "urn", "linked_urn", "link_type",
                                                                             "link_established"):
                existing[(item["urn"], item["linked_urn"], item["link_type"])] = item
        to_write = []
        for key, (row_no, values) in incoming.items():
            old = existing.get(key)
            if old is None:
                plan.add(f"{key[0]} {key[2]} {key[1]}", "new", row=row_no)
                to_write.append((key, values))
            elif old["link_established"] != values["link_established"]:
                plan.add(f"{key[0]} {key[2]} {key[1]}", "changed", row=row_no,
                         changes={"LinkEstablishedDate": (old["link_established"], values["link_established"])})
                to_write.append((key, values))
            else:
                plan.add(key, "unchanged", row=row_no)
        plan.payload = {"to_write": to_write}
        plan.summary = {"links for the partnership's schools": len(incoming)}
        return plan

    def write(self, ctx, plan):
        rows = [(u, lu, lt, values["link_established"]) for (u, lu, lt), values in plan.payload["to_write"]]
        return bulk.upsert(SchoolLink, ("urn", "linked_urn", "link_type", "link_established"), rows,
                           unique=["urn", "linked_urn", "link_type"], update=["link_established"])


for _kind in (EstablishmentsKind(), GroupsKind(), GroupLinksKind(), LinksKind()):
    register_kind(_kind)

REGISTER_KINDS = ("gias_establishments", "gias_groups", "gias_group_links", "gias_links")
