"""The refresh admin page: run history, "run now" (queued as a task) and its progress. Admins only (others 404)."""


import logging
import threading

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from pep_portal.roles import admin_only

from . import api, running, schedule
from .models import RefreshRun

logger = logging.getLogger(__name__)


@admin_only
def history(request):
    if request.method == "POST":  # the stable address: POST /dashboard/refresh/ runs the ratings now
        return run_now(request)
    runs = RefreshRun.objects.history()
    page = Paginator(runs, 30).get_page(request.GET.get("page"))
    active = RefreshRun.objects.active().order_by("-created_at").first()
    return render(request, "refresh/refresh.html", {
        "page": page, "active": active, **api.last_run_summary(), "schedule": schedule_text(),
    })


@admin_only
def run_now(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = start_in_thread(request.user) if settings.RATINGS_RUN_IN_THREAD else api.request_run(request.user)
    if row.status == RefreshRun.Status.DONE:
        messages.success(request, f"The refresh finished: {row.schools_rated} schools rated, "
                                  f"{row.priorities_changed} priorities changed.")
    elif settings.RATINGS_RUN_IN_THREAD:
        messages.info(request, "The ratings are running. This page shows their progress.")
    elif row.status in (RefreshRun.Status.QUEUED, RefreshRun.Status.RUNNING):
        messages.info(request, "The refresh is queued. This page shows its progress.")
    return redirect("refresh:detail", pk=row.pk)


@admin_only
def detail(request, pk):
    row = get_object_or_404(RefreshRun.objects.select_related("triggered_by", "rating_run"), pk=pk)
    return render(request, "refresh/refresh_detail.html", {
        "run": row, "running": not row.finished, "log_lines": [line for line in row.log.splitlines() if line],
    })


@admin_only
def status(request, pk):
    row = get_object_or_404(RefreshRun, pk=pk)
    return JsonResponse({
        "id": row.pk,
        "status": row.status,
        "status_label": row.get_status_display(),
        "step": row.step,
        "done": row.finished,
        "attempts": row.attempts,
        "schools_rated": row.schools_rated,
        "priorities_changed": row.priorities_changed,
        "error": row.error,
        "started_at": row.started_at.isoformat() if row.started_at else None,
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
    })


def start_in_thread(user):
    """With no broker: run the refresh in a thread of this process, so the page can show its progress."""
    row = RefreshRun.objects.create(key=running.new_key(running.Trigger.USER), trigger=running.Trigger.USER,
                                    triggered_by=user, status=RefreshRun.Status.QUEUED, step="Starting")

    def work():
        try:
            running.perform(refresh_id=row.pk)
        except Exception:  # perform records the failure on the row; this is only the log
            logger.exception("refresh %s failed in-process", row.pk)
        finally:
            connection.close()

    transaction.on_commit(lambda: threading.Thread(target=work, name=f"refresh-{row.pk}", daemon=True).start())
    return row


def schedule_text():
    if not settings.CELERY_BROKER_URL:
        return ("No task queue is configured, so there is no nightly refresh: run the ratings here after "
                "importing new files. They run in the portal itself and take a minute or two.")
    due = schedule.last_scheduled_time()
    if due is None:
        return "The nightly refresh is switched off (django-celery-beat, in the Django admin)."
    return (f"The nightly refresh is due each night at {due:%H:%M} ({due.tzinfo}); the last time it was due was "
            f"{timezone.localtime(due):%-d %B %Y at %H:%M}. Change the schedule in the Django admin "
            "under Periodic tasks.")
