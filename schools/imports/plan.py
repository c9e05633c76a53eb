"""What a kind's validate() builds (Plan) and works with (ImportContext), and its helpers for comparing
a file with the database (load_existing, compare)."""

from dataclasses import dataclass, field

from pep_portal import partnership

from .reading import ImportProblem

MAX_LISTED_ISSUES = 200
MAX_PREVIEW_ROWS = 200


@dataclass
class Plan:
    """What validate() found: counts, a preview of rows, and the kind's payload for write()."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    rows: list = field(default_factory=list)
    payload: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)  # extra figures for the report (e.g. trusts linked)
    # Final figures the file would change: {year, year_label, count, examples}; needs a deliberate confirmation.
    replaces: dict | None = None

    def add(self, key, status, *, changes=None, row=None, label=""):
        setattr(self, status, getattr(self, status) + 1)
        if status != "unchanged" and len(self.rows) < MAX_PREVIEW_ROWS:
            self.rows.append({"row": row, "key": str(key), "label": label, "status": status,
                              "changes": {k: [_jsonable(a), _jsonable(b)] for k, (a, b) in (changes or {}).items()}})

    def skip(self, n=1):
        self.skipped += n

    @property
    def to_write(self):
        return self.new + self.changed


class ImportContext:
    def __init__(self, table, kind, *, year=None, record=None, user=None, la_codes=None, progress=None, profile=None):
        self.table = table
        self.profile = profile  # what kind.recognise_profile() found, carried to validate() and a later confirm
        self.kind = kind
        self.file_name = table.file_name
        self.year = year
        self.record = record
        self.user = user
        self.la_codes = list(la_codes if la_codes is not None else partnership.current().la_codes)
        self.errors = []
        self.warnings = []
        self.warning_counts = {}
        self.error_count = 0
        self.rejected_rows = set()
        self._progress = progress

    def error(self, row, column, message, expected=""):
        self.error_count += 1
        if row is not None:
            self.rejected_rows.add(row)
        if len(self.errors) < MAX_LISTED_ISSUES:
            self.errors.append(ImportProblem(message, file=self.file_name, row=row, column=column,
                                             expected=expected).as_dict())

    def warn(self, row, column, message, code="warning"):
        self.warning_counts[code] = self.warning_counts.get(code, 0) + 1
        if len(self.warnings) < MAX_LISTED_ISSUES:
            self.warnings.append({"row": row, "column": column, "message": message, "code": code})

    def iter_rows(self):
        """(file row number, list of str) for every data row, reporting progress every ~5%."""
        total = len(self.table.rows) or 1
        step = max(total // 20, 500)
        for i, (number, row) in enumerate(zip(self.table.row_numbers, self.table.rows, strict=True)):
            if self._progress and i % step == 0:
                self._progress(i / total)
            yield number, row

    def progress(self, fraction):
        if self._progress:
            self._progress(fraction)


# ------------------------------------------------------------------------------------------ helpers
def _jsonable(value):
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


WHOLE_TABLE_KEYS = 10000


def load_existing(queryset, key_fields, fields, keys=None, chunk=2000):
    """{key: {field: value}} of what is in the database. key_fields: a name or a tuple of names.

    With `keys` (values of a single key field) the query is chunked to stay under SQLite's
    parameter limit; otherwise the whole queryset is read in one query.
    """
    single = isinstance(key_fields, str)
    names = [key_fields] if single else list(key_fields)
    wanted = list(dict.fromkeys([*names, *fields]))
    result = {}

    def take(qs):
        for item in qs.values(*wanted):
            key = item[names[0]] if single else tuple(item[n] for n in names)
            result[key] = {f: item[f] for f in fields}

    if keys is None:
        take(queryset)
        return result
    keys = list(keys)
    if single and len(keys) >= WHOLE_TABLE_KEYS and queryset.count() <= 2 * len(keys):
        # A national file names most of the table: one read of it beats 25 queries of 2,000 keys each.
        wanted_keys = set(keys)
        take(queryset)
        return {k: v for k, v in result.items() if k in wanted_keys}
    for i in range(0, len(keys), chunk):
        take(queryset.filter(**{f"{names[0]}__in": keys[i:i + chunk]}))
    return result


def compare(old, new):
    """{field: (old, new)} for the fields of `new` whose value differs from `old`."""
    changes = {}
    for k, v in new.items():
        o = old.get(k)
        if o != v and not _same(o, v):
            changes[k] = (o, v)
    return changes


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    try:
        return a == b or float(a) == float(b)
    except (TypeError, ValueError):
        return False
