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

# Files over this size (or with more rows) are written by a background task with a progress bar.
BACKGROUND_BYTES = getattr(settings, "IMPORT_BACKGROUND_BYTES", 2 * 1024 * 1024)
BACKGROUND_ROWS = getattr(settings, "IMPORT_BACKGROUND_ROWS", 20000)


WARNING_LABELS = {
    "outside_partnership": "Rows for schools outside the partnership's local authorities (skipped)",
    "not_in_register": "Rows for schools not in the register (skipped)",
    "bad_value": "Values that could not be read (left empty)",
    "unknown_phase": "Phases GIAS does not use (read as not applicable)",
    "unknown_status": "Statuses GIAS does not use (read as open)",
}


@admin_only
def import_list(request):
    runstate.recover_interrupted()
    records = ImportRecord.objects.select_related("user").order_by("-created_at")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "schools/imports/list.html", {"page": page})


@admin_only
def upload(request):
    problem = None
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            data = upload_file.read()
            record = pipeline.preview(data, upload_file.name, kind=form.cleaned_data["kind"] or None,
                                      year=form.cleaned_data["year"], user=request.user, source="web")
            if record.status != ImportRecord.Status.REFUSED:
                return redirect("imports:detail", pk=record.pk)
            problem = record
    else:
        form = ImportUploadForm()
    return render(request, "schools/imports/upload.html", {
        "form": form, "refused": problem, "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})


@admin_only
def detail(request, pk):
    runstate.recover_interrupted(ImportRecord.objects.filter(pk=pk))
    record = get_object_or_404(ImportRecord.objects.select_related("user"), pk=pk)
    report = record.report or {}
    return render(request, "schools/imports/detail.html", {
        "record": record, "report": report,
        "running": record.status in (ImportRecord.Status.QUEUED, ImportRecord.Status.RUNNING),
        "warning_counts": [(WARNING_LABELS.get(code, code.replace("_", " ").capitalize()), n)
                           for code, n in sorted((report.get("warning_counts") or {}).items())],
        "summary": sorted((report.get("summary") or {}).items()),
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
        return redirect("imports:list")
    if record.size > BACKGROUND_BYTES or record.rows_read > BACKGROUND_ROWS:
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
    return redirect("imports:detail", pk=pk)


@admin_only
def status(request, pk):
    runstate.recover_interrupted(ImportRecord.objects.filter(pk=pk))
    record = get_object_or_404(ImportRecord, pk=pk)
    return JsonResponse({
        "status": record.status, "status_label": record.get_status_display(), "progress": record.progress,
        "done": record.status not in (ImportRecord.Status.QUEUED, ImportRecord.Status.RUNNING),
        "message": record.message,
    })
