"""GIAS groups (trusts, federations, sponsors), group links (which school is in which group, with its
history) and links between URNs (predecessors and successors) for the one import pipeline."""

import re

from django.utils import timezone

from pep_portal import bulk
from schools.models import School, SchoolLink, Trust, TrustLink

from .gias_values import EMPTY_MARKERS, GROUP_TYPES, BadValue, cell, parse_date, parse_urn, partnership_refusal
from .kinds import Kind, register_kind
from .plan import Plan, compare, load_existing


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
            incoming[uid] = (row_no, group_values(row[name_i], row[type_i], cell(row, ch_i), cell(row, status_i)))
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
                joined = parse_date(cell(row, joined_i))
            except BadValue as exc:
                ctx.warn(row_no, "Joined date", f"URN {urn}: {exc}; read as unknown", code="bad_value")
                joined = None
            values = group_values(row[name_i], row[type_i], cell(row, ch_i), cell(row, status_i))
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
        register = set(School.objects.order_by().values_list("urn", flat=True))
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
                established = parse_date(cell(row, date_i))
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


for _kind in (GroupsKind(), GroupLinksKind(), LinksKind()):
    register_kind(_kind)
