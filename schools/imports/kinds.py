"""The kinds of file the import pipeline takes: the base class, the registry, and recognising a file's kind."""

import csv
import importlib
import re

from .reading import ImportProblem, Table, safe_file_name

# Modules that register kinds when imported.
KIND_MODULES = ("schools.imports.gias", "schools.imports.gias_groups", "schools.imports.performance",
                "schools.imports.mat_and_school_info")

_KINDS = {}
_loaded = False


class Kind:
    code = ""
    label = ""
    order = 100
    signature = ()
    required = ()
    file_pattern = None
    needs_year = False
    # Register files (establishments, group links) are refused when no row is for the partnership's LAs.
    description = ""

    def score(self, table):
        """How well the header fits this kind: 0 = not this kind. Override for special cases."""
        if not self.signature:
            return 0
        present = sum(1 for name in self.signature if table.has(name))
        if present * 10 < len(self.signature) * 6:  # at least 60% of the identifying columns
            return 0
        score = present / len(self.signature) * 100
        if self.file_pattern and re.search(self.file_pattern, table.file_name, re.IGNORECASE):
            score += 20
        return score

    def detect_year(self, table):
        return None

    def recognise_profile(self, table, year):
        """What validate() needs to know about the file's layout, found once per file (ctx.profile)."""
        return None

    def validate(self, ctx):  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, ctx, plan):  # pragma: no cover - abstract
        raise NotImplementedError

    def expected_text(self):
        cols = ", ".join(self.signature[:6])
        return f"{self.label} ({self.code}: columns {cols})"


def register_kind(kind):
    _KINDS[kind.code] = kind
    return kind


def kinds():
    global _loaded
    if not _loaded:
        for module in KIND_MODULES:
            importlib.import_module(module)
        _loaded = True
    return dict(sorted(_KINDS.items(), key=lambda kv: (kv[1].order, kv[0])))


def get_kind(code):
    return kinds().get(code)


def expected_kinds_text():
    return "; ".join(text for k in kinds().values() if (text := k.expected_text()))


def recognise(table, kind_code=None):
    """The file's kind: the one asked for (its required columns checked), or the best header match."""
    all_kinds = kinds()
    if kind_code:
        kind = all_kinds.get(kind_code)
        if kind is None:
            raise ImportProblem(f"'{kind_code}' is not a kind of file the portal imports", file=table.file_name,
                                expected="one of: " + ", ".join(all_kinds))
    else:
        scored = sorted(((k.score(table), k.order, k) for k in all_kinds.values()), key=lambda t: (-t[0], t[1]))
        if not scored or scored[0][0] <= 0:
            raise ImportProblem(
                "the header does not match any kind of file the portal imports "
                f"(it starts {', '.join(table.header[:5])})",
                # One short message: the import page lists the files it takes (expected_kinds_text is long).
                file=table.file_name, row=1, expected="a GIAS, DfE performance-tables or Ofsted file listed on the import page",
            )
        kind = scored[0][2]
    for name in kind.required:
        if not table.has(name):
            raise ImportProblem(f"the column {name} is missing", file=table.file_name, row=1, column=name,
                                expected=f"a {kind.label} with the column {name}")
    return kind


def peek_kind(data, file_name):
    """The kind recognised from the header line alone (cheap: for ordering several files), or None."""
    from .reading import decode

    try:
        head = data[:65536]
        text, _ = decode(head.rsplit(b"\n", 1)[0] if b"\n" in head else head, file_name)
        header = next(csv.reader([text.splitlines()[0]]), [])
        table = Table(file_name=safe_file_name(file_name), header=[h.strip() for h in header], rows=[],
                      row_numbers=[])
        return recognise(table)
    except (ImportProblem, IndexError, StopIteration):
        return None
