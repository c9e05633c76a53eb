"""Reports for officers and admins: pick a period, get the progress report (HTML, PDF, Word) or its
confidential appendix. Everyone else gets 404; anonymous visitors are sent to log in."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify

from dashboard.access import officer_required
from dashboard.models import DashboardAccess

from . import build
from . import period as periods
from .pdf import write_pdf
from .word import docx_bytes

FORMATS = (("", "Web page"), ("pdf", "PDF"), ("docx", "Word document (.docx)"))
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _form(request, errors=None, status=200):
    last = periods.last_term()
    terms = [
        {"term": t, "period": periods.of_term(t), "is_last": last is not None and t.pk == last.pk}
        for t in periods.recent_terms()
    ]
    default = periods.of_term(last) if last else None
    values = {"from": request.GET.get("from") or (default.start.isoformat() if default else ""),
              "to": request.GET.get("to") or (default.end.isoformat() if default else "")}
    fields = [("from", "Start date", values["from"]), ("to", "End date", values["to"])]
    context = {"terms": terms, "fields": fields, "formats": FORMATS, "errors": errors or {}}
    return render(request, "reports/index.html", context, status=status)


@officer_required
def index(request):
    return _form(request)


def filename(report, period, ext):
    return f"{slugify(report.title)}-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.{ext}"


def respond(request, report, period):
    """The one report model in the format asked for."""
    fmt = request.GET.get("format", "")
    if fmt == "pdf":
        html = render_to_string("reports/document_pdf.html", {"report": report})
        body, content_type = write_pdf(html, marking=report.marking), "application/pdf"
    elif fmt == "docx":
        body, content_type = docx_bytes(report), DOCX_TYPE
    elif fmt in ("", "html"):
        return render(request, "reports/progress.html", {"report": report, "period": period})
    else:
        return _form(request, {"format-html": "Choose a format: web page, PDF or Word document"}, status=400)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(report, period, fmt)}"'
    return response


def _period_or_form(request):
    try:
        return periods.parse(request.GET), None
    except periods.PeriodError as exc:
        return None, _form(request, exc.errors, status=400)


@officer_required
def progress(request):
    period, refusal = _period_or_form(request)
    if refusal:
        return refusal
    return respond(request, build.progress_report(period), period)


@officer_required
def confidential(request):
    period, refusal = _period_or_form(request)
    if refusal:
        return refusal
    report, named = build.confidential_appendix(period)
    response = respond(request, report, period)
    if response.status_code == 200:
        log_access(request, named)
    return response


def log_access(request, school_ids):
    """Each school the appendix names, in the access log of who opened which school's ratings."""
    path = request.get_full_path()[:300]
    DashboardAccess.objects.bulk_create(
        [DashboardAccess(user=request.user, school_id=pk, path=path) for pk in sorted(school_ids)], batch_size=1000
    )
