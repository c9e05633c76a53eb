"""Governance pages: the public structure, group and meeting pages, feeds, and the chairs' minutes editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.http.multipartparser import MultiPartParser
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from .forms import (
    ActionForm,
    AgendaItemForm,
    AttachmentForm,
    AttendanceForm,
    MeetingForm,
    publishable_problems,
)
from .models import (
    Action,
    AgendaItem,
    Attachment,
    Attendance,
    EditLog,
    Group,
    GroupKind,
    Meeting,
    MeetingStatus,
    Membership,
    MinutesStatus,
)
from .permissions import can_edit, can_see_exempt, editable_group_or_404, editable_groups, editable_meeting_or_404


def _groups_with_people(queryset):
    return queryset.select_related("parent").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.current().select_related("user"))
    )


# ---------------------------------------------------------------- public pages


def index(request):
    groups = list(_groups_with_people(Group.objects.visible()))
    next_meetings = {}
    for meeting in Meeting.objects.upcoming().exclude(status=MeetingStatus.CANCELLED):
        next_meetings.setdefault(meeting.group_id, meeting)
    for group in groups:
        group.next_meeting = next_meetings.get(group.pk)
    sections = [
        (kind.label if kind != GroupKind.BOARD else "Strategic Board", [g for g in groups if g.kind == kind])
        for kind in GroupKind
    ]
    sections = [(title, items) for title, items in sections if items]
    plural = {"Subgroup": "Subgroups", "Task-and-finish group": "Task-and-finish groups", "Network": "Networks"}
    sections = [(plural.get(title, title), items) for title, items in sections]
    return render(request, "governance/index.html", {"sections": sections})


def group_detail(request, slug):
    group = get_object_or_404(_groups_with_people(Group.objects.visible()), slug=slug)
    meetings = Meeting.objects.filter(group=group)
    now = timezone.now()
    return render(
        request,
        "governance/group.html",
        {
            "group": group,
            "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(starts_at__lt=now).order_by("-starts_at"),
            "children": group.children.all() & Group.objects.visible(),
            "can_edit": can_edit(request.user, group),
        },
    )


def group_actions(request, slug):
    group = get_object_or_404(Group.objects.visible(), slug=slug)
    actions = Action.objects.public().filter(meeting__group=group).select_related("meeting", "agenda_item")
    return render(request, "governance/actions.html", {"group": group, "actions": actions})


def meeting_context(meeting, user, *, preview=False):
    """What the meeting page shows to `user`. The preview passes an anonymous user and shows the
    minutes as they will read once published, so the chair sees exactly the public page."""
    show_exempt = False if preview else can_see_exempt(user, meeting.group)
    minutes_visible = preview or meeting.minutes_are_public
    items = list(meeting.items.prefetch_related("attachments"))
    actions = []
    if minutes_visible:
        actions = [
            a
            for a in meeting.actions.select_related("agenda_item")
            if show_exempt or not (a.agenda_item_id and a.agenda_item.is_exempt)
        ]
    return {
        "meeting": meeting,
        "group": meeting.group,
        "items": items,
        "show_exempt": show_exempt,
        "minutes_visible": minutes_visible,
        "attendance": list(meeting.attendance.select_related("user")) if minutes_visible else [],
        "actions": actions,
        "amended": minutes_visible and not preview and meeting.edit_log.exists(),
        "last_amended": meeting.edit_log.first() if minutes_visible and not preview else None,
        "approved_minutes": list(
            Meeting.objects.with_public_minutes().filter(approved_at_meeting=meeting).order_by("starts_at")
        ),
        "preview": preview,
    }


def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible().select_related("group", "approved_at_meeting"), pk=pk)
    context = meeting_context(meeting, request.user)
    context["can_edit"] = can_edit(request.user, meeting.group)
    return render(request, "governance/meeting.html", context)


def attachment_download(request, pk, attachment_pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("agenda_item__meeting__group"),
        pk=attachment_pk,
        agenda_item__meeting_id=pk,
        agenda_item__meeting__in=Meeting.objects.visible(),
    )
    group = attachment.agenda_item.meeting.group
    if attachment.agenda_item.is_exempt and not (can_see_exempt(request.user, group) or can_edit(request.user, group)):
        raise Http404("No such attachment")
    try:
        handle = default_storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing") from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name)
    # A downloaded file is never shown inline, so an uploaded document cannot run in the portal's origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---------------------------------------------------------------- chairs' editor


def _log_if_published(meeting, user, what):
    """Changes to minutes already public are recorded: who, when, what."""
    if meeting.minutes_are_public:
        EditLog.objects.create(meeting=meeting, user=user, what=what)


def _changed_fields(form):
    return ", ".join(str(form.fields[name].label or name).lower() for name in form.changed_data if name in form.fields)


@login_required
def manage_index(request):
    groups = list(editable_groups(request.user).order_by("order", "name"))
    if not groups:
        raise Http404("No groups to manage")
    meetings = Meeting.objects.filter(group__in=groups).order_by("-starts_at")
    by_group = {g.pk: [] for g in groups}
    for meeting in meetings:
        by_group[meeting.group_id].append(meeting)
    for group in groups:
        group.manage_meetings = by_group[group.pk]
    return render(request, "governance/manage/index.html", {"groups": groups})


@login_required
def meeting_new(request, slug):
    group = editable_group_or_404(request.user, slug)
    form = MeetingForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, "Meeting created. Add attendance and agenda items below.")
        return redirect("governance:manage_meeting", pk=meeting.pk)
    return render(request, "governance/manage/meeting_form.html", {"form": form, "group": group, "meeting": None})


@login_required
def manage_meeting(request, pk):
    meeting = editable_meeting_or_404(request.user, pk)
    return render(
        request,
        "governance/manage/meeting.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "items": meeting.items.prefetch_related("attachments"),
            "attendance": meeting.attendance.select_related("user"),
            "actions": meeting.actions.select_related("agenda_item"),
            "edit_log": meeting.edit_log.select_related("user")[:50],
            "attendance_form": AttendanceForm(prefix="attendance"),
            "problems": publishable_problems(meeting),
        },
    )


@login_required
def meeting_edit(request, pk):
    meeting = editable_meeting_or_404(request.user, pk)
    form = MeetingForm(request.POST or None, instance=meeting, group=meeting.group)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if form.has_changed():
                _log_if_published(meeting, request.user, f"Changed the meeting details: {_changed_fields(form)}.")
            form.save()
        messages.success(request, "Meeting details saved.")
        return redirect("governance:manage_meeting", pk=meeting.pk)
    return render(
        request, "governance/manage/meeting_form.html", {"form": form, "group": meeting.group, "meeting": meeting}
    )


@login_required
def attendance(request, pk):
    meeting = editable_meeting_or_404(request.user, pk)
    form = AttendanceForm(request.POST or None, prefix="attendance")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            record = form.save(commit=False)
            record.meeting = meeting
            record.save()
            _log_if_published(
                meeting, request.user, f"Added {record.display_name} to the attendance ({record.get_status_display()})."
            )
        messages.success(request, f"{record.display_name} added to the attendance.")
        return redirect("governance:attendance", pk=meeting.pk)
    return render(
        request,
        "governance/manage/attendance.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "form": form,
            "attendance": meeting.attendance.select_related("user"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_delete(request, pk, attendance_pk):
    meeting = editable_meeting_or_404(request.user, pk)
    record = get_object_or_404(Attendance, pk=attendance_pk, meeting=meeting)
    if request.method == "POST":
        with transaction.atomic():
            _log_if_published(meeting, request.user, f"Removed {record.display_name} from the attendance.")
            record.delete()
        messages.success(request, f"{record.display_name} removed from the attendance.")
    return redirect("governance:attendance", pk=meeting.pk)


@login_required
def item_edit(request, pk, item_pk=None):
    meeting = editable_meeting_or_404(request.user, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting) if item_pk else None
    initial = {} if item else {"order": (meeting.items.count() + 1)}
    form = AgendaItemForm(request.POST or None, instance=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if item is None:
                saved = form.save(commit=False)
                saved.meeting = meeting
                saved.save()
                _log_if_published(meeting, request.user, f"Added agenda item {saved.order} “{saved.title}”.")
            else:
                if form.has_changed():
                    _log_if_published(
                        meeting,
                        request.user,
                        f"Changed agenda item {item.order} “{form.initial.get('title')}”: {_changed_fields(form)}.",
                    )
                saved = form.save()
        messages.success(request, f"Agenda item {saved.order} saved.")
        return redirect("governance:manage_meeting", pk=meeting.pk)
    return render(
        request,
        "governance/manage/item_form.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "form": form,
            "item": item,
            "attachment_form": AttachmentForm(prefix="attachment") if item else None,
        },
    )


@login_required
def item_delete(request, pk, item_pk):
    meeting = editable_meeting_or_404(request.user, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    if request.method == "POST":
        with transaction.atomic():
            _log_if_published(meeting, request.user, f"Deleted agenda item {item.order} “{item.title}”.")
            for attachment in item.attachments.all():
                attachment.file.delete(save=False)
            item.delete()
        messages.success(request, f"Agenda item “{item.title}” deleted.")
        return redirect("governance:manage_meeting", pk=meeting.pk)
    return render(
        request, "governance/manage/item_delete.html", {"meeting": meeting, "group": meeting.group, "item": item}
    )


def _record_raw_file_names(request):
    """Keep the file names exactly as the browser sent them.

    Django's multipart parser strips folder parts from upload names before any view sees them; the
    upload page refuses such names outright instead, so a chair learns the file was not what they meant.
    Returns the list the parser fills in; call before request.POST or request.FILES is read.
    """
    raw_names = []

    class RecordingParser(MultiPartParser):
        def sanitize_file_name(self, file_name):
            raw_names.append(file_name)
            return super().sanitize_file_name(file_name)

    def parse_file_upload(META, post_data):
        return RecordingParser(META, post_data, request.upload_handlers, request.encoding).parse()

    request.parse_file_upload = parse_file_upload
    return raw_names


@csrf_exempt  # only so the names are recorded before the CSRF check reads the body; checked just below
def attachment_upload(request, pk, item_pk):
    raw_names = _record_raw_file_names(request) if request.method == "POST" else []
    return _attachment_upload(request, pk, item_pk, raw_names)


@csrf_protect
@login_required
def _attachment_upload(request, pk, item_pk, raw_names):
    meeting = editable_meeting_or_404(request.user, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    form = AttachmentForm(request.POST or None, request.FILES or None, prefix="attachment", raw_names=raw_names)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            attachment = Attachment(
                agenda_item=item, original_name=upload.name, kind=form.kind, size=upload.size, uploaded_by=request.user
            )
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
            _log_if_published(
                meeting, request.user, f"Attached “{attachment.original_name}” to agenda item {item.order}."
            )
        messages.success(request, f"“{attachment.original_name}” attached to item {item.order}.")
        return redirect("governance:item_edit", pk=meeting.pk, item_pk=item.pk)
    return render(
        request,
        "governance/manage/attachment_form.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "item": item,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk, attachment_pk):
    meeting = editable_meeting_or_404(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, agenda_item__meeting=meeting)
    item = attachment.agenda_item
    if request.method == "POST":
        with transaction.atomic():
            _log_if_published(
                meeting, request.user, f"Removed “{attachment.original_name}” from agenda item {item.order}."
            )
            attachment.file.delete(save=False)
            attachment.delete()
        messages.success(request, f"“{attachment.original_name}” removed.")
    return redirect("governance:item_edit", pk=meeting.pk, item_pk=item.pk)


@login_required
def action_edit(request, pk, action_pk=None):
    meeting = editable_meeting_or_404(request.user, pk)
    action = get_object_or_404(Action, pk=action_pk, meeting=meeting) if action_pk else None
    form = ActionForm(request.POST or None, instance=action, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.meeting = meeting
            if action is None:
                _log_if_published(meeting, request.user, f"Added the action “{saved.description[:80]}”.")
            elif form.has_changed():
                _log_if_published(
                    meeting, request.user, f"Changed the action “{saved.description[:80]}”: {_changed_fields(form)}."
                )
            saved.save()
        messages.success(request, "Action saved.")
        return redirect("governance:manage_meeting", pk=meeting.pk)
    return render(
        request,
        "governance/manage/action_form.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "form": form,
            "action": action,
        },
    )


@login_required
def preview(request, pk):
    meeting = editable_meeting_or_404(request.user, pk)
    context = meeting_context(meeting, AnonymousUser(), preview=True)
    context["problems"] = publishable_problems(meeting)
    return render(request, "governance/manage/preview.html", context)


@login_required
def publish(request, pk):
    meeting = editable_meeting_or_404(request.user, pk)
    if request.method != "POST":
        # Publishing is a deliberate step taken from the preview, never a link.
        return redirect("governance:preview", pk=meeting.pk)
    problems = publishable_problems(meeting)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect("governance:preview", pk=meeting.pk)
    if meeting.minutes_are_public:
        messages.info(request, "These minutes are already published.")
        return redirect("governance:manage_meeting", pk=meeting.pk)
    meeting.minutes_status = MinutesStatus.PUBLISHED
    meeting.minutes_published_at = timezone.now()
    meeting.minutes_published_by = request.user
    if meeting.status == MeetingStatus.PLANNED and meeting.starts_at <= timezone.now():
        meeting.status = MeetingStatus.HELD
    meeting.save()
    messages.success(request, "Minutes published. The public page now shows them; later changes are recorded.")
    return redirect("governance:manage_meeting", pk=meeting.pk)
