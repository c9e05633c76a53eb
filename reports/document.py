"""The report model: a plain data structure, built once from the database, that every format renders.

No Django here. The HTML page, the PDF and the Word document are all drawn from one `Report`, so
they cannot disagree: every figure is already a string when it reaches a renderer, and renderers
only lay it out. A report is sections (Heading 1), each of parts (Heading 2); a part has
paragraphs, at most one table, and always says where its figures come from and as at when.

The arithmetic the public part needs (suppression of small counts, a target's trend) is here too,
as pure functions tested alone.
"""

from dataclasses import dataclass

MIN_SCHOOLS = 3
CONFIDENTIAL_MARKING = "Not for publication: Local Government Act 1972, Schedule 12A, paragraph 3"


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple
    rows: tuple  # tuples of strings, one per column
    numeric: frozenset = frozenset()  # indexes of columns holding numbers (right-aligned)

    def __post_init__(self):
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"{self.caption}: a row has {len(row)} cells for {len(self.columns)} columns")
            if not all(isinstance(cell, str) for cell in row):
                raise TypeError(f"{self.caption}: every cell must already be text, got {row!r}")


@dataclass(frozen=True)
class Part:
    heading: str
    source: str  # where the figures come from
    as_at: str  # when they were true, in words
    paragraphs: tuple = ()
    table: Table | None = None
    empty: str = ""  # said instead of the table when it has no rows
    chart: object = None  # a chart.BarChart drawn from the table's own figures, shown before it


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    parts: tuple
    intro: tuple = ()


@dataclass(frozen=True)
class Report:
    title: str
    partnership: str
    period: str  # e.g. "1 September 2026 to 31 December 2026"
    generated: str  # e.g. "29 November 2026 at 20:45"
    sections: tuple
    summary: tuple = ()
    marking: str = ""  # shown on every page when set (the confidential appendix)

    @property
    def tables(self):
        return [part.table for section in self.sections for part in section.parts if part.table]

    def figures(self):
        """Every table cell as (table caption, row heading, column, text): what the formats must agree on."""
        out = []
        for table in self.tables:
            for row in table.rows:
                for column, cell in zip(table.columns[1:], row[1:], strict=True):
                    out.append((table.caption, row[0], column, cell))
        return out


# ---- suppression -----------------------------------------------------------------------------------


def fewer_than(minimum=MIN_SCHOOLS):
    return f"fewer than {minimum}"


def suppress_counts(counts, minimum=MIN_SCHOOLS):
    """{category: count} -> {category: count or None (withheld)}.

    A count from 1 to minimum - 1 is withheld (0 says nothing about any school). When a total is
    published alongside, one withheld cell could be worked out by subtraction, so if exactly one cell
    is withheld the next smallest non-zero cell is withheld too.
    """
    shown = {k: (None if 0 < v < minimum else v) for k, v in counts.items()}
    withheld = [k for k, v in shown.items() if v is None]
    if len(withheld) == 1:
        candidates = [k for k, v in shown.items() if v]
        if candidates:
            shown[min(candidates, key=lambda k: shown[k])] = None
    return shown


def count_text(value, minimum=MIN_SCHOOLS):
    return fewer_than(minimum) if value is None else f"{value:,}"


def change_text(before, after):
    """The change between two published counts; withheld when either side is withheld."""
    if before is None or after is None:
        return "not shown"
    diff = after - before
    return f"+{diff:,}" if diff > 0 else ("no change" if diff == 0 else f"−{abs(diff):,}")


# ---- a target's trend ------------------------------------------------------------------------------

IMPROVING, WORSE, SAME, UNKNOWN = "Improving", "Getting worse", "No change", "Not enough data"


def trend(rows, measured, lower_is_better, tolerance=1e-9):
    """(word, the earlier year) from a target's stored rows: its latest figure against the one before.

    rows are strategy.targets' year rows; a "gap" target compares the gap (smaller is better), a
    "value" target the figure itself in the measure's own direction.
    """
    key = "gap" if measured == "gap" else "value"
    points = [(row["year"], row[key]) for row in rows if row.get(key) is not None]
    if len(points) < 2:
        return UNKNOWN, None
    (year_before, before), (_, latest) = points[-2], points[-1]
    smaller_better = measured == "gap" or lower_is_better
    change = latest - before
    if abs(change) <= tolerance:
        return SAME, year_before
    better = change < 0 if smaller_better else change > 0
    return (IMPROVING if better else WORSE), year_before


def percent(part, whole):
    if not whole:
        return "none recorded"
    return f"{100 * part / whole:.0f}%"
