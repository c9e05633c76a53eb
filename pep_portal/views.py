import importlib

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .cache import cache_status
from .charts import chart_page

# Each app contributes its part of the home page through `<app>.home.context(request)`.
HOME_SECTIONS = ("schools", "governance", "strategy", "communications", "events")


@chart_page  # the schools section draws a chart
def home(request):
    context = {}
    for app in HOME_SECTIONS:
        module = importlib.import_module(f"{app}.home")
        context.update(module.context(request))
    return render(request, "home.html", context)


def static_page(template):
    def view(request):
        return render(request, template)

    return view


def check_broker():
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
def healthz(request):
    checks, ok = {}, True
    for name, probe in (
        ("database", lambda: connection.ensure_connection() or "ok"),
        ("cache", cache_status),
        ("broker", check_broker),
    ):
        try:
            checks[name] = probe()
        except Exception as exc:  # noqa: BLE001 - any failure is the answer here
            checks[name] = f"error: {exc.__class__.__name__}"
            ok = False
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)


def error_view(status, template):
    def view(request, exception=None):
        return render(request, template, status=status)

    return view


handler403 = error_view(403, "403.html")
handler404 = error_view(404, "404.html")
handler500 = error_view(500, "500.html")


def ratelimited(request, exception=None):
    return render(request, "429.html", status=429)
