"""The one import pipeline: every file (register, performance, Ofsted...) goes through it.

Entry points (all share this code path):
- `manage.py import_gias FILE...` / `manage.py import_performance FILE...` call `run_file(...)`;
- the admin upload page calls `preview(...)`, then `confirm(record)` on the confirm button, or
  queues `schools.tasks.run_import(record.pk)` for large files (Celery; eager when no broker).

Flow:  bytes --read_table--> Table --recognise--> Kind --kind.recognise_profile--> ctx.profile
       --kind.validate(ctx)--> Plan (no writes, saved with the preview: saved_plan.py)
       --confirm--> ONE transaction.atomic() in which kind.write(ctx, plan) does set-based writes.
The confirm writes the preview's plan when nothing it was checked against changed since; otherwise it
validates again (with the profile recognised at the preview).

API for kind authors (e.g. schools/imports/performance.py, profiles.py):

    from pep_portal import bulk
    from schools.imports.kinds import Kind, register_kind
    from schools.imports.plan import Plan, ImportProblem, load_existing

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

        def recognise_profile(self, table, year):  # optional: once per file; validate() reads ctx.profile
            ...

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

import hashlib
import logging
import os
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from pep_portal import partnership
from schools.models import ImportRecord

from . import saved_plan
from .kinds import Kind, expected_kinds_text, get_kind, kinds, peek_kind, recognise, register_kind  # noqa: F401
from .plan import ImportContext, Plan, compare, load_existing  # noqa: F401 - the kind authors' API
from .reading import ImportProblem, Table, normalise_name, read_table, safe_file_name  # noqa: F401
from .reports import report, report_lines, summary_text, warning_lines  # noqa: F401

log = logging.getLogger(__name__)

STORAGE_DIR = "imports"


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


def _analyse(data, file_name, *, kind=None, year=None, record=None, user=None, la_codes=None, low=0, high=100,
             profile=None):
    """Read, recognise and validate: (table, kind, ctx, plan). Raises ImportProblem; writes nothing."""
    table = read_table(data, file_name)
    kind_obj = recognise(table, kind)
    if profile is None:
        profile = kind_obj.recognise_profile(table, year)
    if year is None:
        year = kind_obj.detect_year(table) if profile is None else getattr(profile, "year", None)
    if kind_obj.needs_year and year is None:
        raise ImportProblem(f"the academic year of this {kind_obj.label} file cannot be recognised",
                            file=table.file_name,
                            expected="a year in the file name such as 2018-19, or the year given with the upload")
    ctx = ImportContext(table, kind_obj, year=year, record=record, user=user, la_codes=la_codes, profile=profile,
                        progress=lambda f: _set_progress(record, f, low, high))
    plan = kind_obj.validate(ctx)
    if ctx.error_count:
        first = ctx.errors[0]
        more = f" (and {ctx.error_count - 1} more problems)" if ctx.error_count > 1 else ""
        raise ImportProblem(first["message"] + more, file=first["file"], row=first["row"], column=first["column"],
                            expected=first["expected"], problems=ctx.errors) from None
    return table, kind_obj, ctx, plan


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
    if _keep is not None:  # confirmed at once: no plan to keep for a later confirm
        _keep["result"] = (table, kind_obj, ctx, plan)
    return _record_preview(record, table, kind_obj, ctx, plan, keep_plan=_keep is None)


def _record_preview(record, table, kind_obj, ctx, plan, keep_plan=True):
    record.kind = kind_obj.code
    record.academic_year = ctx.year
    record.rows_read = len(table.rows)
    record.rows_skipped = plan.skipped
    record.rows_rejected = 0
    record.progress = 0
    saved = saved_plan.save(record, table, kind_obj, ctx, plan) if keep_plan and record.stored_name else None
    record.report = {**report(table, kind_obj, ctx, plan), "previewed_at": timezone.now().isoformat(),
                     "saved_plan": saved}
    record.message = summary_text(record)
    record.save()
    return record


def refresh_preview(record):
    """Check a waiting import again against the database as it is now (after the files before it in the
    same upload were imported), so its preview shows what confirming it would really change."""
    try:
        table, kind_obj, ctx, plan = _analyse(read_stored(record), record.file_name, kind=record.kind or None,
                                              year=record.academic_year, record=record, user=record.user,
                                              profile=_saved_profile(record))
    except ImportProblem as problem:
        return _refuse(record, problem)
    return _record_preview(record, table, kind_obj, ctx, plan)


def _saved_profile(record):
    kept = saved_plan.load(record)
    return kept["profile"] if kept else None


def read_stored(record):
    with default_storage.open(record.stored_name, "rb") as fh:
        return fh.read()


def confirm(record, *, user=None, la_codes=None, _analysis=None, resume=False, replace=False):
    """Write the preview's plan (validated again first if the database changed since), in one short transaction.

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
        table, kind, ctx, plan = _analysis or _confirm_analysis(record, user, la_codes)
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
    saved_plan.forget(record)  # written: the preview's plan is spent
    record.report = report(table, kind, ctx, plan)
    record.status = ImportRecord.Status.DONE
    record.progress = 100
    record.finished_at = timezone.now()
    record.message = summary_text(record)
    record.save()
    return record


def _confirm_analysis(record, user, la_codes):
    """The preview's plan when nothing changed since the preview, else the file validated again."""
    codes = list(la_codes if la_codes is not None else partnership.current().la_codes)
    reused = saved_plan.reusable(record, codes)
    if reused is not None:
        return reused
    return _analyse(read_stored(record), record.file_name, kind=record.kind or None, year=record.academic_year,
                    record=record, user=user or record.user, la_codes=codes, low=0, high=80,
                    profile=_saved_profile(record))


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


def run_path(path, **kwargs):
    with open(path, "rb") as fh:
        data = fh.read()
    return run_file(data, os.path.basename(str(path)), **kwargs)
