"""Chair forms, rendered with GOV.UK markup by templates/governance/_field.html."""

import datetime
import html

from django import forms
from django.utils import timezone

from .attachments import ALLOWED_LIST, check_name, check_upload
from .models import PARAGRAPH_CHOICES, Action, AgendaItem, Attendance, Meeting, MeetingStatus, MinutesStatus

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}


ERROR_CLASSES = {
    "govuk-input": " govuk-input--error",
    "govuk-textarea": " govuk-textarea--error",
    "govuk-select": " govuk-select--error",
    "govuk-file-upload": " govuk-file-upload--error",
}


class GovukFormMixin:
    """GOV.UK classes on every widget, and the error variant on fields that failed validation.

    The error classes are added after validation (full_clean), never in __init__: validating there
    would check the fields before a subclass narrows their choices, so any id would be accepted.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            widget.attrs["class"] = next((c for cls, c in WIDGET_CLASSES.items() if type(widget) is cls), "govuk-input")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 6)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                base = attrs.get("class", "").split(" ")[0]
                if ERROR_CLASSES.get(base, " ").strip() not in attrs.get("class", ""):
                    attrs["class"] = attrs.get("class", "") + ERROR_CLASSES.get(base, "")


class MeetingForm(GovukFormMixin, forms.ModelForm):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="For example, 2026-12-03.",
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date as a real date, for example 2026-12-03",
        },
    )
    start_time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="24-hour clock, for example 16:00.",
        error_messages={
            "required": "Enter the time the meeting starts",
            "invalid": "Enter the start time as hours and minutes, for example 16:00",
        },
    )
    online_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Online meeting link (optional)",
        error_messages={
            "invalid": "Enter the online meeting link as a full web address, for example https://meet.example.org/board"
        },
    )
    end_time = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter the end time as hours and minutes, for example 17:30"},
    )

    class Meta:
        model = Meeting
        fields = ["title", "place", "online_url", "status", "approved_at_meeting"]
        labels = {
            "title": "Title (optional)",
            "place": "Place",
            "online_url": "Online meeting link (optional)",
            "status": "Status",
            "approved_at_meeting": "Minutes approved as a correct record at",
        }

    def __init__(self, *args, group, **kwargs):
        self.group = group
        super().__init__(*args, **kwargs)
        # Fields are listed in page order: date and times first.
        self.order_fields(
            ["title", "date", "start_time", "end_time", "place", "online_url", "status", "approved_at_meeting"]
        )
        self.fields["place"].help_text = "Leave blank for an online-only meeting."
        self.fields["title"].help_text = f"Leave blank for “{group.name} meeting”."
        instance = self.instance
        if instance.pk:
            local = timezone.localtime(instance.starts_at)
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("start_time", local.time().replace(second=0, microsecond=0))
            if instance.ends_at:
                self.initial.setdefault("end_time", timezone.localtime(instance.ends_at).time().replace(second=0))
        if instance.pk and instance.minutes_are_public:
            later = Meeting.objects.filter(group=group, starts_at__gt=instance.starts_at).order_by("starts_at")
            self.fields["approved_at_meeting"].queryset = later
            self.fields["approved_at_meeting"].empty_label = "Not yet approved"
            self.fields["approved_at_meeting"].help_text = "A later meeting of this group that agreed these minutes."
        else:
            del self.fields["approved_at_meeting"]

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if date and start:
            tz = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(date, start), tz)
            if end:
                if end <= start:
                    self.add_error("end_time", "The end time must be after the start time")
                else:
                    data["ends_at"] = timezone.make_aware(datetime.datetime.combine(date, end), tz)
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", "Enter a place or an online meeting link")
        return data

    def save(self, commit=True):
        meeting = super().save(commit=False)
        meeting.group = self.group
        meeting.starts_at = self.cleaned_data["starts_at"]
        meeting.ends_at = self.cleaned_data.get("ends_at")
        if "approved_at_meeting" in self.fields:
            meeting.minutes_status = (
                MinutesStatus.APPROVED if meeting.approved_at_meeting_id else MinutesStatus.PUBLISHED
            )
        if commit:
            meeting.save()
        return meeting


class AttendanceForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["name", "capacity", "status"]
        labels = {"name": "Name", "capacity": "Role or school (optional)", "status": "Attendance"}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter the person's name")
        return name


class AgendaItemForm(GovukFormMixin, forms.ModelForm):
    exempt_paragraph = forms.TypedChoiceField(
        choices=[("", "Choose a paragraph")] + PARAGRAPH_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        label="Schedule 12A paragraph",
        help_text="Only for exempt items: the paragraph of Schedule 12A to the Local Government Act 1972 that applies.",
    )

    class Meta:
        model = AgendaItem
        fields = ["order", "title", "body", "decision", "is_exempt", "exempt_paragraph", "public_interest_note"]
        labels = {
            "order": "Item number",
            "title": "Title",
            "body": "Minutes of the item (Markdown)",
            "decision": "Decision or resolution (Markdown, optional)",
            "is_exempt": "Exempt item: the press and public are excluded",
            "public_interest_note": "Public interest note (exempt items only)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].widget.attrs.update({"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"})
        self.fields["order"].help_text = "Items are shown in this order."
        self.fields["body"].help_text = "Plain text with Markdown: blank lines between paragraphs, * for lists."
        self.fields["is_exempt"].help_text = (
            "The public page will show only that an exempt item was taken and under which paragraph: "
            "no title, text, decision, attachments or linked actions."
        )

    def clean(self):
        data = super().clean()
        if data.get("is_exempt"):
            if not data.get("exempt_paragraph"):
                self.add_error("exempt_paragraph", "Choose the paragraph of Schedule 12A that makes the item exempt")
        else:
            data["exempt_paragraph"] = None
        return data


class ActionForm(GovukFormMixin, forms.ModelForm):
    due_on = forms.DateField(
        required=False,
        label="Due date (optional)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the due date as a real date, for example 2027-01-31"},
    )

    class Meta:
        model = Action
        fields = ["description", "owner", "due_on", "status", "agenda_item"]
        labels = {
            "description": "Action",
            "owner": "Owner",
            "status": "Status",
            "agenda_item": "Agenda item (optional)",
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].widget.attrs["rows"] = 3
        self.fields["agenda_item"].queryset = meeting.items.all()
        self.fields["agenda_item"].empty_label = "Not linked to an item"
        self.fields["agenda_item"].help_text = "Actions linked to an exempt item are not shown to the public."


class AttachmentForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"{ALLOWED_LIST}; up to 20 MB.",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )

    def __init__(self, *args, raw_names=(), **kwargs):
        # The names as sent, before Django's parser dropped any folder part (see views._record_raw_file_names).
        self.raw_names = list(raw_names)
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        for raw in self.raw_names:
            check_name(html.unescape(raw))
        self.kind = check_upload(upload)
        return upload


def publishable_problems(meeting):
    """Reasons the minutes cannot be published yet (empty list: ready)."""
    problems = []
    if meeting.status == MeetingStatus.CANCELLED:
        problems.append("The meeting is cancelled: there are no minutes to publish.")
    if meeting.starts_at > timezone.now():
        problems.append("The meeting has not taken place yet: minutes are published after it.")
    if not meeting.items.exists():
        problems.append("Add at least one agenda item before publishing the minutes.")
    if meeting.items.filter(is_exempt=True, exempt_paragraph__isnull=True).exists():
        problems.append("An exempt item has no Schedule 12A paragraph.")
    return problems
