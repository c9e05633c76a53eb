"""A wrong year must not cost data (PRODUCT.md, "The year of a file").

Two checks on a performance file, both before anything is written:

- `check_prev_columns`: a file whose `_PREV` columns (last year's figures, repeated by the DfE beside
  this year's: `ATT8SCR_PREV`) match the figures already stored for some year Z is a file for Z + 1.
  A year given by the user (or the file name) that is not Z + 1 is refused, saying why.
- `final_replacements`: figures the file would change (not add) that came from a final import for
  the year. The preview says so (year, count, examples) and the import needs a deliberate
  confirmation (`--replace` on the command, a tick box in the page). Provisional figures replaced by
  final or revised ones need no such step.
"""

from ..years import year_label
from .cells import CellError, parse_cell
from .reading import ImportProblem

PREV_SUFFIX = "_prev"
MIN_MATCHES = 3  # fewer schools than this prove nothing
MATCH_SHARE = 0.8  # at least this share of the comparable schools must match
TOLERANCE = 0.051  # published to one decimal place at least
EXAMPLES = 5


def prev_columns(header, recognised):
    """{measure code: (prev column name, position)} for the measures whose `_PREV` column is in the file."""
    found = {}
    lowered = {h.strip().lower(): (h.strip(), i) for i, h in enumerate(header)}
    for m in recognised.profile.measures:
        for column in m.columns:
            hit = lowered.get(column.lower() + PREV_SUFFIX)
            if hit:
                found[m.code] = (hit[0], hit[1], recognised.unit(m.code))
                break
    return found


def _prev_figures(table, schools, position, unit):
    rows = dict(zip(table.row_numbers, table.rows, strict=True))
    out = {}
    for urn, figures in schools.items():
        row = rows.get(figures.row)
        if row is None or position >= len(row):
            continue
        try:
            value, marker = parse_cell(row[position], unit)
        except CellError:
            continue
        if not marker and value is not None:
            out[urn] = value
    return out


def check_prev_columns(ctx, recognised, parsed, register, measure_ids):
    """Refuse a year that the file's `_PREV` columns contradict. register: {urn: school id}."""
    from schools.models import Value

    year = parsed.year
    if year is None:
        return
    for code, (column, position, unit) in prev_columns(ctx.table.header, recognised).items():
        if code not in measure_ids:
            continue
        prev = {register[u]: v for u, v in _prev_figures(ctx.table, parsed.schools, position, unit).items()
                if u in register}
        if len(prev) < MIN_MATCHES:
            continue
        stored = {}
        for school_id, y, value in Value.objects.filter(
                measure_id=measure_ids[code], school_id__in=list(prev), value__isnull=False).values_list(
                "school_id", "year", "value"):
            stored.setdefault(y, {})[school_id] = value
        best = _best_match(prev, stored)
        if best is None or best[0] == year - 1:
            continue
        matched_year, hits, compared = best
        source = {"chosen": "chosen", "file name": "the file name says"}.get(recognised.year_source,
                                                                              recognised.year_source)
        raise ImportProblem(
            f"the column {column} holds last year's figures, and they match the figures already stored for "
            f"{year_label(matched_year)} ({hits} of {compared} schools), so this file is for "
            f"{year_label(matched_year + 1)}, not {year_label(year)} ({source})",
            file=ctx.file_name, row=1, column=column,
            expected=f"the year {year_label(matched_year + 1)}, or a file whose {column} matches "
                     f"{year_label(year - 1)}",
        )


def _best_match(prev, stored):
    best = None
    for y, figures in stored.items():
        common = [s for s in prev if s in figures]
        if len(common) < MIN_MATCHES:
            continue
        hits = sum(1 for s in common if abs(prev[s] - figures[s]) < TOLERANCE)
        if hits >= MIN_MATCHES and hits >= MATCH_SHARE * len(common) and (best is None or hits > best[1]):
            best = (y, hits, len(common))
    return best


def final_replacements(year, value_changes, bench_changes, names):
    """What the file would change among figures imported as final: None, or {year, count, examples}.

    value_changes rows end with the old figure's source import id (see PerformanceKind._compare_figures).
    names: {school id: name} for the examples.
    """
    from schools.models import ImportRecord

    sources = {c[-1] for c in value_changes} | {c[-1] for c in bench_changes}
    sources.discard(None)
    if not sources:
        return None
    final = set(ImportRecord.objects.filter(pk__in=sources).exclude(profile__contains="provisional").exclude(
        kind="ofsted").values_list("pk", flat=True))
    changed = [c for c in value_changes if c[-1] in final]
    bench = [c for c in bench_changes if c[-1] in final]
    if not changed and not bench:
        return None
    examples = [f"{names.get(c[0], c[0])}: {_shown(c[3], c[4])} to {_shown(c[5], c[6])}" for c in changed[:EXAMPLES]]
    examples += [f"{c[0]} {c[1]} {c[2]}".strip() + f": {_shown(c[5], c[6])} to {_shown(c[7], c[8])}"
                 for c in bench[:max(0, EXAMPLES - len(examples))]]
    return {"year": year, "year_label": year_label(year), "count": len(changed) + len(bench), "examples": examples}


def _shown(value, marker):
    return marker or (f"{value:g}" if isinstance(value, float) else str(value))


def replace_text(replace):
    return (f"this file would change {replace['count']:,} figures already imported as final for "
            f"{replace['year_label']} (for example {'; '.join(replace['examples'][:3])})")
