"""GIAS (Get Information About Schools) establishment files (the register) for the one import pipeline;
groups, group links and links are in gias_groups.py, cell values in gias_values.py.

Register categories follow PRODUCT.md ("Register categories"): the governance category comes from
`EstablishmentTypeGroup (name)`; the 2015 EduBase layout has no type group, so it is derived from
`TypeOfEstablishment (name)` with the same GIAS lookup.
"""


from django.utils import timezone

from pep_portal import bulk
from schools.models import LocalAuthority, Phase, School

from . import register_columns
from .gias_values import (
    EMPTY_MARKERS,
    STATUSES,
    BadValue,
    cell,
    governance_for,
    parse_date,
    parse_int,
    parse_percent,
    parse_urn,
    partnership_refusal,
    phase_for,
    type_group_from_type,
    website,
)
from .kinds import Kind, register_kind
from .plan import Plan, compare, load_existing

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
            las.setdefault(la_code, cell(row, la_name_i) or f"LA {la_code}")
            values = {"la_code": la_code}
            for fname, (i, parser, column) in present.items():
                try:
                    values[fname] = parser(row[i].strip())
                except BadValue as exc:
                    ctx.warn(row_no, column, f"URN {urn}: {exc}; left empty", code="bad_value")
                    values[fname] = None if fname not in ("name",) else row[i].strip()[:200]
            type_name = cell(row, type_i)
            type_group = cell(row, group_i) or type_group_from_type(type_name)
            values["type_group"] = type_group[:80]
            values["governance"] = governance_for(type_group, type_name)
            # A narrower download without the phase leaves the phase as it was (never blanked).
            phase = phase_for(cell(row, phase_i), type_name) if phase_i is not None else None
            if phase is None and phase_i is not None:
                ctx.warn(row_no, "PhaseOfEducation (name)",
                         f"URN {urn}: phase {cell(row, phase_i)!r} is not a GIAS phase; read as not applicable",
                         code="unknown_phase")
                phase = Phase.NOT_APPLICABLE
            if phase is not None:
                values["phase"] = phase
            links.update((urn, linked, kind) for linked, kind in register_columns.read_links(ctx, row_no, row, urn))
            if trust_columns:
                trusts[urn] = (row_no, register_columns.read_trust(t, row, values["governance"]))
            if status_i is not None:  # without it, new schools are open (the model's default), others keep theirs
                status = STATUSES.get(cell(row, status_i).lower())
                if status is None:
                    ctx.warn(row_no, "EstablishmentStatus (name)",
                             f"URN {urn}: status {cell(row, status_i)!r} is not a GIAS status; read as open",
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
        # Rows to write as plain tuples in column order: the confirm's saved plan loads them several
        # times faster than dicts, and write() only adds the LA's id.
        columns = [f for f in fields if f != "la_code"]
        text_at = [i for i, f in enumerate(columns) if f in NOT_NULL_TEXT]
        new, changed = [], []
        for urn, (row_no, values) in incoming.items():
            old = existing.get(urn)
            if old is None:
                plan.add(urn, "new", row=row_no, label=values.get("name", ""))
                new.append((urn, values["la_code"], _values(columns, text_at, values)))
                continue
            old = {("la_code" if k == "la__code" else k): v for k, v in old.items()}
            changes = compare(old, values)
            if changes:
                plan.add(urn, "changed", row=row_no, label=values.get("name", ""),
                         changes={FIELD_COLUMN_LABEL.get(k, k): v for k, v in changes.items()})
                changed.append((urn, values["la_code"], _values(columns, text_at, values)))
            else:
                plan.add(urn, "unchanged", row=row_no)
        plan.payload = {"fields": columns, "new": new, "changed": changed, "las": las,
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
        fields = plan.payload["fields"]
        # New schools need every non-null column: those the file does not have get the model's default,
        # the same on every row, so sent as constants (not updated on schools already in the register).
        missing = [f for f in DEFAULTS if f not in fields]
        constants = {"updated_at": timezone.now(), **{f: DEFAULTS[f] for f in missing}}
        written = 0
        for rows, likely_new in ((plan.payload["new"], True), (plan.payload["changed"], False)):
            written += bulk.upsert(School, ("urn", "la_id", *fields), [(urn, la_ids[la], *v) for urn, la, v in rows],
                                   unique=["urn"], update=[*fields, "la_id", "updated_at"], constants=constants,
                                   likely_new=likely_new)
        register_columns.write_links(plan.payload["links"])
        trusts = plan.payload["trusts"]
        if trusts:
            school_ids = dict(School.objects.order_by().values_list("urn", "id"))  # one read, no long IN list
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


def _values(fields, text_at, values):
    """The fields' values in order, an empty text for a missing one in a text column (at `text_at`: never NULL)."""
    row = [values[f] for f in fields]
    if None in row:
        for i in text_at:
            if row[i] is None:
                row[i] = ""
    return tuple(row)

register_kind(EstablishmentsKind())

REGISTER_KINDS = ("gias_establishments", "gias_groups", "gias_group_links", "gias_links")
