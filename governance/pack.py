"""A meeting's board pack as one PDF: cover, agenda, the papers of its public items and the minutes of
the group's previous meeting. Exempt papers go in a separate pack that only those who may read the
group's exempt items can open; the public pack carries each exempt item's paragraph notice instead.

Papers go in as they can: text and CSV inline, images as pages, and PDF, Word and Excel papers
embedded as files inside the pack's PDF (WeasyPrint cannot draw another PDF's pages), each listed
with its address on the meeting page.
"""

import base64

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from reports.pdf import write_pdf

from .models import SCHEDULE_12A_PARAGRAPHS, Meeting, MeetingStatus
from .permissions import can_edit, can_see_exempt

TEXT_LIMIT = 200_000  # bytes of a text paper printed in the pack; longer ones are cut with a note
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg"}


def _read(attachment, limit=None):
    try:
        with default_storage.open(attachment.file.name, "rb") as handle:
            return handle.read(limit) if limit else handle.read()
    except (FileNotFoundError, OSError):
        return None


def paper(attachment, request):
    """How one attachment appears in the pack, and the file to embed (or None)."""
    entry = {"name": attachment.original_name, "kind": attachment.kind.upper(), "size": attachment.size,
             "url": request.build_absolute_uri(attachment.get_absolute_url()), "text": "", "image": "",
             "embedded": False, "missing": False}
    if attachment.kind in ("txt", "csv"):
        data = _read(attachment, TEXT_LIMIT + 1)
        entry["missing"] = data is None
        entry["text"] = (data or b"")[:TEXT_LIMIT].decode("utf-8", "replace")
        entry["cut"] = data is not None and len(data) > TEXT_LIMIT
        return entry, None
    data = _read(attachment)
    entry["missing"] = data is None
    if data is None:
        return entry, None
    if attachment.kind in IMAGE_TYPES:
        entry["image"] = f"data:{IMAGE_TYPES[attachment.kind]};base64,{base64.b64encode(data).decode()}"
        return entry, None
    from weasyprint import Attachment as Embedded

    entry["embedded"] = True
    return entry, Embedded(string=data, name=attachment.original_name, description=attachment.original_name)


def previous_meeting(meeting):
    return (
        Meeting.objects.filter(group=meeting.group, starts_at__lt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


def items_with_papers(meeting, request, exempt, embedded):
    out = []
    for item in meeting.items.prefetch_related("attachments"):
        if item.is_exempt != exempt:
            out.append({"item": item, "papers": [], "withheld": item.is_exempt})
            continue
        papers = []
        for attachment in item.attachments.all():
            entry, file = paper(attachment, request)
            papers.append(entry)
            if file is not None:
                embedded.append(file)
        out.append({"item": item, "papers": papers, "withheld": False})
    return out


def pack_pdf(request, meeting, exempt):
    embedded = []
    previous = previous_meeting(meeting)
    previous_items = list(previous.items.all()) if previous and previous.minutes_are_public else []
    paragraphs = sorted({i.exempt_paragraph for i in meeting.items.all() if i.is_exempt and i.exempt_paragraph})
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "exempt": exempt,
        "items": items_with_papers(meeting, request, exempt, embedded),
        "previous": previous,
        "previous_items": previous_items,
        "previous_actions": [a for a in previous.actions.select_related("agenda_item")
                             if bool(a.agenda_item_id and a.agenda_item.is_exempt) == exempt]
        if previous_items else [],
        "paragraphs": [(n, SCHEDULE_12A_PARAGRAPHS[n]) for n in paragraphs],
        "meeting_url": request.build_absolute_uri(meeting.get_absolute_url()),
    }
    html = render_to_string("governance/pack.html", context)
    marking = ""
    if exempt:
        numbers = ", ".join(str(n) for n in paragraphs) or "1-7"
        marking = f"Not for publication: Local Government Act 1972, Schedule 12A, paragraph {numbers}"
    body = write_pdf(html, marking=marking, attachments=embedded)
    response = HttpResponse(body, content_type="application/pdf")
    name = f"board-pack{'-exempt' if exempt else ''}-{meeting.group.slug}-{meeting.starts_at:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def visible_meeting(pk):
    return get_object_or_404(Meeting.objects.visible().select_related("group"), pk=pk)


def public_pack(request, pk):
    return pack_pdf(request, visible_meeting(pk), exempt=False)


@login_required
def exempt_pack(request, pk):
    meeting = visible_meeting(pk)
    if not (can_see_exempt(request.user, meeting.group) or can_edit(request.user, meeting.group)):
        raise Http404("No such meeting")
    return pack_pdf(request, meeting, exempt=True)
