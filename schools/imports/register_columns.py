"""What a GIAS establishment file says beyond the school itself: its links and its trust.

- `Linked establishments` (the last column of a GIAS search download) and the extra fields after it
  ("115961 Predecessor", "148215 Successor") are links, imported as the GIAS links file would.
- `Trusts (code)` / `Trusts (name)` link an academy to its trust until a GIAS group-links file is
  imported: group links, when present, are the record (PRODUCT.md, "Facts the importer must respect").
- The columns a narrower download lacks are listed for the preview; their fields are left as they were.
"""

import re

from django.utils import timezone

from pep_portal import bulk
from schools.models import ACADEMY_CATEGORIES, ImportRecord, SchoolLink, Trust, TrustLink

LINK = re.compile(r"^\s*(\d{1,9})\s*[-:]?\s+(.+?)\s*$")  # "115961 Predecessor" (or "115961 - Predecessor")
NO_LINKS = {"", "does not have links", "not applicable", "none", "null"}

# The columns of a full GIAS establishment file the importer reads; a narrower download lacks some.
KNOWN_COLUMNS = (
    "EstablishmentTypeGroup (name)", "TypeOfEstablishment (name)", "EstablishmentStatus (name)",
    "PhaseOfEducation (name)", "EstablishmentNumber", "LA (name)", "StatutoryLowAge", "StatutoryHighAge",
    "NumberOfPupils", "SchoolCapacity", "PercentageFSM", "OfstedRating (name)", "OfstedLastInsp", "Postcode", "Town",
    "Easting", "Northing", "SchoolWebsite", "OpenDate", "CloseDate", "Trusts (code)", "Trusts (name)",
)
TRUST_FLAG_TYPES = {
    "supported by a multi-academy trust": Trust.Type.MAT,
    "supported by a single-academy trust": Trust.Type.SAT,
}


def missing_columns(table):
    return [c for c in KNOWN_COLUMNS if not table.has(c) and not (c == "SchoolWebsite" and table.has("WebsiteAddress"))]


# ---------------------------------------------------------------------------------------- links
def read_links(ctx, row_no, row, urn):
    """[(linked URN, link type)] from the Linked establishments field and the fields after it."""
    i = ctx.table.col("Linked establishments")
    if i is None:
        return []
    cells = [row[i].strip(), *ctx.table.overflow.get(row_no, ())]
    links = []
    for cell in cells:
        if cell.lower() in NO_LINKS:
            continue
        m = LINK.match(cell)
        if m is None:
            ctx.warn(row_no, "Linked establishments", f"URN {urn}: {cell[:40]!r} is not a link such as "
                     "'115961 Predecessor'; skipped", code="bad_value")
            continue
        links.append((int(m[1]), m[2][:60]))
    return links


def plan_links(links):
    """links: {(urn, linked urn, type)} -> those not in the database yet."""
    if not links:
        return []
    # One read of the links table: a national register names tens of thousands of URNs (no long IN lists).
    have = set(SchoolLink.objects.values_list("urn", "linked_urn", "link_type"))
    return sorted(links - have)


def write_links(new_links):
    # Insert only: a date the links file gave (LinkEstablishedDate) is never blanked by a register file.
    bulk.upsert(SchoolLink, ("urn", "linked_urn", "link_type"), new_links, unique=["urn", "linked_urn", "link_type"])
    return len(new_links)


# ---------------------------------------------------------------------------------------- trusts
def group_links_imported():
    return ImportRecord.objects.filter(kind="gias_group_links", status=ImportRecord.Status.DONE).exists()


def read_trust(table, row, governance):
    """(uid or None, name, type) of an academy's trust from the register columns, or None."""
    if governance not in ACADEMY_CATEGORIES:
        return None  # foundation schools name a foundation trust there: not an academy trust
    code_i, name_i, flag_i = table.col("Trusts (code)"), table.col("Trusts (name)"), table.col("TrustSchoolFlag (name)")
    code = row[code_i].strip() if code_i is not None else ""
    name = row[name_i].strip() if name_i is not None else ""
    if not code.isdigit() and not name:
        return None
    flag = row[flag_i].strip().lower() if flag_i is not None else ""
    # GIAS says which kind in TrustSchoolFlag; without it an academy's trust is taken as multi-academy
    # until the groups file (the authority on group types) says otherwise.
    return (int(code) if code.isdigit() else None, name[:200], TRUST_FLAG_TYPES.get(flag, Trust.Type.MAT))


def plan_trusts(plan, trusts):
    """trusts: {urn: (row, (uid, name, type) or None)} for the partnership's schools in the file."""
    if not trusts:
        return None
    if group_links_imported():
        plan.summary["trust links"] = "from the GIAS group-links file (the register's Trusts columns are not used)"
        return None
    known = dict(Trust.objects.filter(uid__in={t[0] for _, t in trusts.values() if t and t[0]}).values_list("uid", "id"))
    by_name = {}
    for uid, name in Trust.objects.filter(type__in=(Trust.Type.MAT, Trust.Type.SAT)).values_list("uid", "name"):
        by_name.setdefault(name.strip().lower(), []).append(uid)
    # A trust the same file names with its code is known by that name too.
    for _row, trust in trusts.values():
        if trust and trust[0] and trust[1] and trust[0] not in by_name.get(trust[1].lower(), []):
            by_name.setdefault(trust[1].lower(), []).append(trust[0])
    current = {urn: uid for urn, uid in TrustLink.objects.filter(from_register=True, left_on=None).values_list(
        "school__urn", "trust__uid") if urn in trusts}
    create, link, close, unknown = {}, {}, [], 0
    for urn, (_row, trust) in trusts.items():
        uid = None
        if trust is not None:
            uid, name, kind = trust
            if uid is None:
                found = by_name.get(name.lower(), [])
                uid = found[0] if len(found) == 1 else None
                if uid is None:
                    unknown += 1  # told once in the summary: the row itself imports
            elif uid not in known:
                create.setdefault(uid, {"name": name or f"Trust {uid}", "type": kind})
        if current.get(urn) == uid:
            continue
        if urn in current:
            close.append(urn)
        if uid is not None:
            link[urn] = uid
    plan.summary["academies linked to a trust from the register"] = sum(
        1 for urn, (_, t) in trusts.items() if t is not None) - unknown
    if unknown:
        plan.summary["academies not linked: their trust has no Trusts (code) and is not in the portal"] = (
            f"{unknown} (import the GIAS groups file, or download the register with Trusts (code))")
    if create:
        plan.summary["trusts created from the register"] = len(create)
    return {"create": create, "link": link, "close": close}


def write_trusts(payload, school_ids):
    if not payload:
        return 0
    fields = ("name", "type", "companies_house_number", "status")
    bulk.upsert(Trust, ("uid", *fields), [(uid, *(values.get(f, "") for f in fields))
                                          for uid, values in payload["create"].items()], unique=["uid"])
    trust_ids = dict(Trust.objects.filter(uid__in=set(payload["link"].values())).values_list("uid", "id"))
    today = timezone.localdate()
    closing = [school_ids[urn] for urn in payload["close"]]
    for i in range(0, len(closing), 500):
        TrustLink.objects.filter(from_register=True, left_on=None, school_id__in=closing[i:i + 500]).update(
            left_on=today)
    bulk.insert(TrustLink, ("trust_id", "school_id", "joined_on", "from_register"),
                [(trust_ids[uid], school_ids[urn], None, True) for urn, uid in payload["link"].items()])
    return len(payload["link"]) + len(payload["close"])
