"""Admin import pages: upload, preview, confirm, progress, history. Partnership admins only (others 404)."""


from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from pep_portal.roles import admin_only

from .forms import ImportUploadForm
from .imports import pipeline, runstate
from .models import ImportRecord

SOURCE_WORDS = {"web": "An upload", "command": "A command on the server", "task": "A background task",
                "demo": "The demo data"}
BATCH_KEY = "import_batch"  # the session's list of ImportRecord ids of the latest upload
PREVIEW_ROWS_SHOWN = 20  # the rest of a preview's rows sit in a collapsed section



@admin_only
def import_list(request):
    runstate.recover_interrupted()
    records = ImportRecord.objects.select_related("user").defer("report").order_by("-created_at")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    words = {code: kind.label for code, kind in pipeline.kinds().items()}
    for record in page:
        record.kind_words = words.get(record.kind, record.kind) if record.kind else "Not recognised"
        record.by = (record.user.get_full_name() or record.user.email) if record.user else \
            SOURCE_WORDS.get(record.source, record.source)
    return render(request, "schools/imports/list.html", {"page": page})


@admin_only
def upload(request):
    refused = []
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            records = preview_all(form.cleaned_data["file"], form.cleaned_data["kind"] or None,
                                  form.cleaned_data["year"], request.user)
            request.session[BATCH_KEY] = [r.pk for r in records]
            waiting = [r for r in records if r.status == ImportRecord.Status.PREVIEWED]
            if waiting:
                return redirect("imports:detail", pk=waiting[0].pk)
            refused = records
    else:
        form = ImportUploadForm()
    return render(request, "schools/imports/upload.html", {
        "form": form, "refused": refused, "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})


def preview_all(uploads, kind, year, user):
    """Preview each file of one upload, in the order they should be imported (register before the rest)."""
    files = [(upload.name, upload.read()) for upload in uploads]

    def order(item):
        found = pipeline.peek_kind(item[1], item[0]) if kind is None else pipeline.get_kind(kind)
        return (found.order if found else 999, item[0])

    return [pipeline.preview(data, name, kind=kind, year=year, user=user, source="web")
            for name, data in sorted(files, key=order)]


def batch_of(request, record):
    """The records of the upload this record came in with, in import order ([] for a single file)."""
    pks = request.session.get(BATCH_KEY) or []
    if record.pk not in pks or len(pks) < 2:
        return []
    by_pk = ImportRecord.objects.in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def next_waiting(batch, after=None):
    return next((r for r in batch if r.status == ImportRecord.Status.PREVIEWED and r.pk != after), None)


def refresh_if_stale(record, batch):
    """A file previewed before earlier files of its upload were imported is checked again."""
    if record.status != ImportRecord.Status.PREVIEWED:
        return record
    seen = (record.report or {}).get("previewed_at") or record.created_at.isoformat()
    if any(r.finished_at and r.finished_at.isoformat() > seen for r in batch if r.pk != record.pk):
        return pipeline.refresh_preview(record)
    return record


@admin_only
def detail(request, pk):
    runstate.recover_interrupted(ImportRecord.objects.filter(pk=pk))
    record = get_object_or_404(ImportRecord.objects.select_related("user"), pk=pk)
    batch = batch_of(request, record)
    record = refresh_if_stale(record, batch)
    report = record.report or {}
    rows = [{**row, "changes": list((row.get("changes") or {}).items())} for row in report.get("rows") or []]
    return render(request, "schools/imports/detail.html", {
        "record": record, "report": report,
        "running": record.status in (ImportRecord.Status.QUEUED, ImportRecord.Status.RUNNING),
        "warning_lines": pipeline.warning_lines(report),
        "summary": sorted((report.get("summary") or {}).items()),
        "rows_shown": rows[:PREVIEW_ROWS_SHOWN], "rows_more": rows[PREVIEW_ROWS_SHOWN:],
        "batch": batch, "position": next((i for i, r in enumerate(batch, 1) if r.pk == record.pk), None),
        "next_record": next_waiting(batch, after=record.pk),
    })


@admin_only
def confirm(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    record = get_object_or_404(ImportRecord, pk=pk)
    if record.status != ImportRecord.Status.PREVIEWED:
        messages.info(request, "This import is no longer waiting for confirmation.")
        return redirect("imports:detail", pk=pk)
    if request.POST.get("action") == "cancel":
        record.status = ImportRecord.Status.CANCELLED
        record.save(update_fields=["status"])
        messages.info(request, f"{record.file_name} was not imported.")
        return after(request, record)
    if (record.report or {}).get("replace"):
        if request.POST.get("replace") != "yes":
            messages.error(request, "Tick 'Replace the final figures' to import a file that changes figures "
                                    "already imported as final, or cancel the import.")
            return redirect("imports:detail", pk=pk)
        record.report = {**record.report, "replace_confirmed": True}
        record.save(update_fields=["report"])
    if record.size > settings.IMPORT_BACKGROUND_BYTES or record.rows_read > settings.IMPORT_BACKGROUND_ROWS:
        from .tasks import run_import

        record.status = ImportRecord.Status.QUEUED
        record.save(update_fields=["status"])
        transaction.on_commit(lambda: run_import.delay(record.pk))
        return redirect("imports:detail", pk=pk)
    try:
        record = pipeline.confirm(record, user=request.user)
    except Exception:  # noqa: BLE001 - the record says it failed; the page shows it
        record.refresh_from_db()
    if record.status == ImportRecord.Status.DONE:
        messages.success(request, f"{record.file_name} was imported: {record.message}.")
        return after(request, record, default=redirect("imports:detail", pk=pk))
    return redirect("imports:detail", pk=pk)


def after(request, record, default=None):
    """Where a decided file leads: the next waiting file of the same upload, else the history."""
    batch = batch_of(request, record)
    following = next_waiting(batch)
    if following:
        return redirect("imports:detail", pk=following.pk)
    return redirect("imports:list") if batch or default is None else default


@admin_only
def status(request, pk):
    runstate.recover_interrupted(ImportRecord.objects.filter(pk=pk))
    record = get_object_or_404(ImportRecord, pk=pk)
    return JsonResponse({
        "status": record.status, "status_label": record.get_status_display(), "progress": record.progress,
        "done": record.status not in (ImportRecord.Status.QUEUED, ImportRecord.Status.RUNNING),
        "message": record.message,
    })
