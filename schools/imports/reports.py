"""An import's report as data (stored on the ImportRecord) and as text (commands, messages)."""

from schools.models import ImportRecord


def report(table, kind, ctx, plan):
    return {
        "kind_label": kind.label,
        "encoding": table.encoding,
        "format": table.format,
        "columns": len(table.header),
        "new": plan.new,
        "changed": plan.changed,
        "unchanged": plan.unchanged,
        "skipped": plan.skipped,
        "rows": plan.rows,
        "warnings": ctx.warnings,
        "warning_counts": ctx.warning_counts,
        "warnings_total": sum(ctx.warning_counts.values()),
        "errors": ctx.errors,
        "summary": plan.summary,
        "replace": plan.replaces,
    }


def summary_text(record):
    r = record.report or {}
    parts = [f"{record.rows_read:,} rows read"]
    if record.status == ImportRecord.Status.DONE:
        parts.append(f"{record.rows_written:,} written")
    parts.append(f"{r.get('new', 0):,} new, {r.get('changed', 0):,} changed, {r.get('unchanged', 0):,} unchanged")
    if record.rows_skipped:
        parts.append(f"{record.rows_skipped:,} skipped")
    if r.get("warnings_total"):
        parts.append(f"{r['warnings_total']:,} warnings")
    return "; ".join(parts)


# One language for every kind's warnings: (one, many) sentences, {n} the count.
WARNING_SENTENCES = {
    "unknown_urn": ("1 row names a school not in the register", "{n} rows name schools not in the register"),
    "outside_partnership": ("1 row is for a school outside the partnership's LAs",
                            "{n} rows are for schools outside the partnership's LAs"),
    "bad_value": ("1 value could not be read and was left empty", "{n} values could not be read and were left empty"),
    "unknown_phase": ("1 row gives a phase GIAS does not use (read as not applicable)",
                      "{n} rows give a phase GIAS does not use (read as not applicable)"),
    "unknown_status": ("1 row gives a status GIAS does not use (read as open)",
                       "{n} rows give a status GIAS does not use (read as open)"),
    "closed_no_values": ("1 row is a closed school with no figures", "{n} rows are closed schools with no figures"),
    "duplicate_summary_row": ("1 summary row repeats an earlier one (the first is used)",
                              "{n} summary rows repeat an earlier one (the first is used)"),
    "final_kept": ("1 figure already came from a final file and was kept",
                   "{n} figures already came from a final file and were kept"),
    "no_partnership_schools": ("no schools of the partnership in this file", "no schools of the partnership in this file"),
    "trust_not_in_register": ("1 row names a trust not in the register", "{n} rows name trusts not in the register"),
}
WARNING_SENTENCES["not_in_register"] = WARNING_SENTENCES["unknown_urn"]


def warning_lines(report):
    """ "23 rows name schools not in the register (first 10 listed)", one line per kind of warning."""
    listed = {}
    for w in report.get("warnings") or ():
        listed[w.get("code")] = listed.get(w.get("code"), 0) + 1
    lines = []
    for code, n in (report.get("warning_counts") or {}).items():
        one, many = WARNING_SENTENCES.get(code, ("1 warning: " + code.replace("_", " "),
                                                 "{n} warnings: " + code.replace("_", " ")))
        line = (one if n == 1 else many).format(n=f"{n:,}")
        shown = listed.get(code, 0)
        if shown and shown < n:
            line += f" (first {shown:,} listed)"
        lines.append(line)
    return lines


def report_lines(record):
    """Plain-text report for commands."""
    r = record.report or {}
    kind = f" as {r['kind_label']}" if r.get("kind_label") else ""
    lines = [f"{record.file_name}: {record.get_status_display()}{kind}"]
    if record.status == ImportRecord.Status.REFUSED:
        lines.append(f"  refused: {record.message}")
        for p in (r.get("errors") or [])[1:20]:
            lines.append(f"  also: {p.get('text')}")
        return lines
    lines.append(f"  {record.message}")
    for line in warning_lines(r):
        lines.append(f"  warning: {line}")
    if r.get("replace"):
        from .year_checks import replace_text

        lines.append(f"  {replace_text(r['replace'])}")
    for key, value in (r.get("summary") or {}).items():
        lines.append(f"  {key.replace('_', ' ')}: {value}")
    return lines
