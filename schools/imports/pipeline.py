"""The one import pipeline: every file (register, performance, Ofsted...) goes through it.

Entry points (all share this code path):
- `manage.py import_gias FILE...` / `manage.py import_performance FILE...` call `run_file(...)`;
- the admin upload page calls `preview(...)`, then `confirm(record)` on the confirm button, or
  queues `schools.tasks.run_import(record.pk)` for large files (Celery; eager when no broker).

Flow:  bytes --read_table--> Table --recognise--> Kind --kind.validate(ctx)--> Plan (no writes)
       --confirm--> ONE transaction.atomic() in which kind.write(ctx, plan) does set-based writes.

API for kind authors (e.g. schools/imports/performance.py, profiles.py):

    from pep_portal import bulk
    from schools.imports.pipeline import Kind, Plan, register_kind, ImportProblem, load_existing

    class Ks2Kind(Kind):
        code = "ks2"                     # stored in ImportRecord.kind
        label = "KS2 performance tables"
        order = 50                       # order in which a multi-file command imports (register first)
        signature = ("RECTYPE", "URN", "PTRWM_EXP", "TELIG")   # columns that identify the kind
        required = ("URN", "RECTYPE")    # a missing one is fatal, named in the message
        file_pattern = r"ks2"            # optional regex on the file name, breaks ties
        needs_year = True                # refuse when no year is given or recognised

        def detect_year(self, table):    # optional: from table.file_name / table.header
            ...return 2018 or None

        def validate(self, ctx):         # read ALL rows, write nothing
            plan = Plan()
            urn_col = ctx.table.col("URN")
            for row_no, row in ctx.iter_rows():          # updates progress as it goes
                ...
                ctx.error(row_no, "URN", "'abc' is not a number", expected="a whole number")  # fatal
                ctx.warn(row_no, "URN", "URN 123 is not in the register", code="unknown_urn")  # skipped, counted
                plan.skip()                                         # count a skipped row
                plan.add(key, "new"|"changed"|"unchanged", changes={"column": [old, new]}, row=row_no)
            plan.payload = {...}         # whatever write() needs
            return plan

        def write(self, ctx, plan):      # called inside one transaction; set-based only
            bulk.upsert(Value, fields, rows, unique=["school_id", "measure_id", "year"], update=[...])
            return rows_written          # -> ImportRecord.rows_written

    register_kind(Ks2Kind())

`ctx` (ImportContext) gives: table (reading.Table: header, rows of str padded to the header width,
row_numbers, col(name), has(name)), file_name, year, la_codes (the partnership's, from pep_portal.partnership.current()),
record (the ImportRecord; set Value.source to it), user, error(), warn(), iter_rows(), progress(f).
Errors found by validate() are all collected; if there is any, nothing is written, the import is
refused and the first error's file/row/column is the message (all are in record.report["errors"]).

Warnings are counted by code (record.report["warning_counts"]) and the first ones listed.
Re-importing the same file must change nothing: write only new and changed rows (compare with
`load_existing`), never touch unchanged ones.

Helpers: `pep_portal.bulk.upsert(model, fields, rows, unique=, update=)` and `bulk.insert(...)` (the one
bulk writer: plain tuples, set-based, COPY on PostgreSQL), `load_existing(queryset, key_fields, fields)` -> {key: {field: value}},
`compare(old_dict, new_dict)` -> {field: [old, new]} of differences.
"""

import csv
import hashlib
import importlib
import logging
import os
import re
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from pep_portal import partnership
from schools.models import ImportRecord

from .reading import ImportProblem, Table, normalise_name, read_table, safe_file_name  # noqa: F401 - re-exported

log = logging.getLogger(__name__)

# Modules that register kinds when imported. A missing module is skipped (built in parallel).
KIND_MODULES = ("schools.imports.gias", "schools.imports.performance", "schools.imports.profiles",
                "schools.imports.mat_and_school_info")
MAX_LISTED_ISSUES = 200
MAX_PREVIEW_ROWS = 200
BATCH_SIZE = 1000
STORAGE_DIR = "imports"

_KINDS = {}
_loaded = False


# --------------------------------------------------------------------------------------------- kinds
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
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
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


# ---------------------------------------------------------------------------------------- plan + ctx
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
    def __init__(self, table, kind, *, year=None, record=None, user=None, la_codes=None, progress=None):
        self.table = table
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


def store_upload(data, file_name):
    """Save under a generated name (never the user's): imports/<uuid><ext>."""
    ext = os.path.splitext(file_name)[1].lower()
    ext = ext if ext in (".csv", ".xlsx") else ".bin"
    return default_storage.save(f"{STORAGE_DIR}/{uuid.uuid4().hex}{ext}", ContentFile(data))


# ------------------------------------------------------------------------------------------ the flow
def _set_progress(record, fraction, low=0, high=100):
    if record is None or record.pk is None:
        return
    value = int(low + (high - low) * max(0.0, min(1.0, fraction)))
    if value != record.progress:
        record.progress = value
        ImportRecord.objects.filter(pk=record.pk).update(progress=value)


def _analyse(data, file_name, *, kind=None, year=None, record=None, user=None, la_codes=None, low=0, high=100):
    """Read, recognise and validate: (table, kind, ctx, plan). Raises ImportProblem; writes nothing."""
    table = read_table(data, file_name)
    kind_obj = recognise(table, kind)
    if year is None:
        year = kind_obj.detect_year(table)
    if kind_obj.needs_year and year is None:
        raise ImportProblem(f"the academic year of this {kind_obj.label} file cannot be recognised",
                            file=table.file_name,
                            expected="a year in the file name such as 2018-19, or the year given with the upload")
    ctx = ImportContext(table, kind_obj, year=year, record=record, user=user, la_codes=la_codes,
                        progress=lambda f: _set_progress(record, f, low, high))
    plan = kind_obj.validate(ctx)
    if ctx.error_count:
        first = ctx.errors[0]
        more = f" (and {ctx.error_count - 1} more problems)" if ctx.error_count > 1 else ""
        raise ImportProblem(first["message"] + more, file=first["file"], row=first["row"], column=first["column"],
                            expected=first["expected"], problems=ctx.errors) from None
    return table, kind_obj, ctx, plan


def _report(table, kind, ctx, plan):
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


def _refuse(record, problem):
    record.status = ImportRecord.Status.REFUSED
    record.message = str(problem)
    record.finished_at = timezone.now()
    report = dict(record.report or {})
    report["errors"] = problem.problems or [problem.as_dict()]
    report["fatal"] = problem.as_dict()
    record.report = report
    record.rows_rejected = len({p.get("row") for p in report["errors"] if p.get("row")}) if problem.problems else 0
    record.save()
    return record


def preview(data, file_name, *, kind=None, year=None, user=None, source="web", la_codes=None, _keep=None):
    """Store the file, read and validate it, record the import as PREVIEWED (or REFUSED). Writes no data."""
    shown_name = safe_file_name(file_name)
    record = ImportRecord(
        user=user if getattr(user, "is_authenticated", False) else None, source=source, file_name=shown_name,
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), kind=kind or "", academic_year=year,
    )
    try:
        # Store only what passes the size and type checks; a refused oversize file is not kept.
        from .reading import check_upload

        check_upload(data, shown_name)
        record.stored_name = store_upload(data, shown_name)
    except ImportProblem as problem:
        return _refuse(record, problem)
    record.save()
    try:
        table, kind_obj, ctx, plan = _analyse(data, shown_name, kind=kind, year=year, record=record, user=user,
                                              la_codes=la_codes)
    except ImportProblem as problem:
        return _refuse(record, problem)
    if _keep is not None:
        _keep["result"] = (table, kind_obj, ctx, plan)
    return _record_preview(record, table, kind_obj, ctx, plan)


def _record_preview(record, table, kind_obj, ctx, plan):
    record.kind = kind_obj.code
    record.academic_year = ctx.year
    record.rows_read = len(table.rows)
    record.rows_skipped = plan.skipped
    record.rows_rejected = 0
    record.progress = 0
    record.report = {**_report(table, kind_obj, ctx, plan), "previewed_at": timezone.now().isoformat()}
    record.message = summary_text(record)
    record.save()
    return record


def refresh_preview(record):
    """Check a waiting import again against the database as it is now (after the files before it in the
    same upload were imported), so its preview shows what confirming it would really change."""
    try:
        table, kind_obj, ctx, plan = _analyse(read_stored(record), record.file_name, kind=record.kind or None,
                                              year=record.academic_year, record=record, user=record.user)
    except ImportProblem as problem:
        return _refuse(record, problem)
    return _record_preview(record, table, kind_obj, ctx, plan)


def read_stored(record):
    with default_storage.open(record.stored_name, "rb") as fh:
        return fh.read()


def confirm(record, *, user=None, la_codes=None, _analysis=None, resume=False, replace=False):
    """Validate again against the database as it is now, then write in one short transaction.

    (`_analysis` is run_file's own validation of a moment ago, so a command validates once.)
    `resume=True` (the Celery task) also takes a RUNNING import: a worker killed mid-run wrote
    nothing (one transaction), so running it again is safe.
    """
    from . import runstate

    with runstate.run_lock(record) as free:
        if not free:  # another process is confirming it this moment (a second click, a duplicate task)
            record.refresh_from_db()
            return record
        if resume:
            runstate.recover_interrupted([record])  # a killed worker's run, taken over
        if not runstate.claim(record, (ImportRecord.Status.PREVIEWED, ImportRecord.Status.QUEUED)):
            return record  # done, refused, cancelled, or being run by someone else
        return _confirm_claimed(record, user=user, la_codes=la_codes, _analysis=_analysis, replace=replace)


def _confirm_claimed(record, *, user, la_codes, _analysis, replace=False):
    try:
        if _analysis is not None:
            table, kind, ctx, plan = _analysis
        else:
            data = read_stored(record)
            table, kind, ctx, plan = _analyse(data, record.file_name, kind=record.kind or None,
                                              year=record.academic_year, record=record, user=user or record.user,
                                              la_codes=la_codes, low=0, high=80)
        _refuse_unconfirmed_replace(record, plan, replace)
        _set_progress(record, 0.85)
        with transaction.atomic():
            written = kind.write(ctx, plan)
    except ImportProblem as problem:
        return _refuse(record, problem)
    except Exception as exc:
        log.exception("import %s failed", record.pk)
        record.status = ImportRecord.Status.FAILED
        record.message = f"The import failed unexpectedly ({exc.__class__.__name__}); nothing was written."
        record.finished_at = timezone.now()
        record.save()
        raise
    record.rows_read = len(table.rows)
    record.rows_written = written or 0
    record.rows_skipped = plan.skipped
    record.rows_rejected = 0
    record.report = _report(table, kind, ctx, plan)
    record.status = ImportRecord.Status.DONE
    record.progress = 100
    record.finished_at = timezone.now()
    record.message = summary_text(record)
    record.save()
    return record


def _refuse_unconfirmed_replace(record, plan, replace):
    """Final figures are replaced only when asked (--replace, or the tick box on the preview page)."""
    if plan.replaces and not (replace or (record.report or {}).get("replace_confirmed")):
        from .year_checks import replace_text

        raise ImportProblem(
            replace_text(plan.replaces) + "; nothing was written", file=record.file_name,
            expected="a deliberate confirmation to replace them (--replace on the command, or tick "
                     "'Replace the final figures' on the preview page)",
        )


def run_file(data, file_name, *, kind=None, year=None, user=None, source="command", la_codes=None, replace=False):
    """Preview then confirm at once (commands, demo): validated once, then written. Returns the ImportRecord."""
    analysis = {}
    record = preview(data, file_name, kind=kind, year=year, user=user, source=source, la_codes=la_codes,
                     _keep=analysis)
    if record.status == ImportRecord.Status.PREVIEWED:
        record = confirm(record, user=user, la_codes=la_codes, _analysis=analysis.get("result"), replace=replace)
    return record


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


def run_path(path, **kwargs):
    with open(path, "rb") as fh:
        data = fh.read()
    return run_file(data, os.path.basename(str(path)), **kwargs)


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
