"""The partnership's governance: its groups, who sits on them, their meetings, agendas and minutes.

Exempt agenda items (Local Government Act 1972, Schedule 12A) live in the same table as public ones;
every public rendering goes through `AgendaItem.public_view()` or the templates' `item.is_exempt`
branch, and permission questions go through governance.permissions.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# Slugs that would shadow the app's own addresses under /governance/.
RESERVED_SLUGS = frozenset({"meetings", "manage", "minutes", "attachments", "actions", "feeds"})


class GroupKind(models.TextChoices):
    BOARD = "board", "Strategic Board"
    SUBGROUP = "subgroup", "Subgroup"
    TASK_AND_FINISH = "task_and_finish", "Task-and-finish group"
    NETWORK = "network", "Network"


class GroupQuerySet(models.QuerySet):
    def visible(self):
        """Groups the public sees: those that have started. Ended groups stay, as their minutes are public record."""
        today = timezone.localdate()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=today))

    def active(self):
        today = timezone.localdate()
        return self.visible().filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))

    def chaired_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__in=Membership.objects.current().filter(user=user, role=MemberRole.CHAIR)
        ).distinct()


class Group(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=GroupKind.choices, default=GroupKind.SUBGROUP)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    remit = models.TextField(blank=True, help_text="What the group is for, in plain words (Markdown).")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:group", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is used by the portal's own addresses; choose another."})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})

    @property
    def has_ended(self):
        return bool(self.ends_on and self.ends_on < timezone.localdate())

    def current_chairs(self):
        return [m for m in self.memberships.all() if m.role == MemberRole.CHAIR and m.is_current]


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    OFFICER = "officer", "Officer"


class MembershipQuerySet(models.QuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=today)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="governance_memberships")
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "role", "user__last_name"]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()} of {self.group}"

    @property
    def is_current(self):
        today = timezone.localdate()
        return (self.starts_on is None or self.starts_on <= today) and (self.ends_on is None or self.ends_on >= today)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    APPROVED = "approved", "Approved as a correct record"


PUBLIC_MINUTES = (MinutesStatus.PUBLISHED, MinutesStatus.APPROVED)


class MeetingQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(group__in=Group.objects.visible())

    def upcoming(self):
        return self.visible().filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.visible().filter(starts_at__lt=timezone.now()).order_by("-starts_at")

    def with_public_minutes(self):
        return self.visible().filter(minutes_status__in=PUBLIC_MINUTES)


class Meeting(models.Model):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200, blank=True, help_text="Leave blank for “<group> meeting”.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes_status = models.CharField(max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at_meeting = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_minutes",
        help_text="The later meeting that approved these minutes as a correct record.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.display_title} ({timezone.localtime(self.starts_at):%d %B %Y})"

    def get_absolute_url(self):
        return reverse("governance:meeting", kwargs={"pk": self.pk})

    @property
    def display_title(self):
        return self.title or f"{self.group.name} meeting"

    @property
    def minutes_are_public(self):
        return self.minutes_status in PUBLIC_MINUTES

    @property
    def is_upcoming(self):
        return self.starts_at >= timezone.now()

    @property
    def location_text(self):
        if self.place and self.online_url:
            return f"{self.place} and online"
        return self.place or ("Online" if self.online_url else "To be confirmed")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=150, blank=True, help_text="For people without an account.")
    capacity = models.CharField(max_length=150, blank=True, help_text="For example “Headteacher, Ashby Primary”.")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT)

    class Meta:
        ordering = ["status", "name", "pk"]

    def __str__(self):
        return f"{self.display_name}: {self.get_status_display()}"

    @property
    def display_name(self):
        if self.name:
            return self.name
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return "Unnamed"


# Schedule 12A, Part 1, of the Local Government Act 1972: the descriptions of exempt information.
SCHEDULE_12A_PARAGRAPHS = {
    1: "Information relating to any individual",
    2: "Information which is likely to reveal the identity of an individual",
    3: "Information relating to the financial or business affairs of any particular person "
    "(including the authority holding that information)",
    4: "Information relating to consultations or negotiations in connection with labour relations matters",
    5: "Information in respect of which a claim to legal professional privilege could be maintained",
    6: "Information revealing that the authority proposes to give a notice or make an order or direction",
    7: "Information relating to action taken in connection with the prevention, investigation or prosecution of crime",
}
PARAGRAPH_CHOICES = [(n, f"Paragraph {n}: {text}") for n, text in SCHEDULE_12A_PARAGRAPHS.items()]


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=250)
    body = models.TextField(blank=True, help_text="The report and discussion, in Markdown.")
    decision = models.TextField(blank=True, help_text="What was decided or resolved, in Markdown.")
    is_exempt = models.BooleanField(default=False)
    exempt_paragraph = models.PositiveSmallIntegerField(null=True, blank=True, choices=PARAGRAPH_CHOICES)
    public_interest_note = models.TextField(
        blank=True,
        help_text="Why the public interest in keeping the item exempt outweighs the interest in disclosing it.",
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.title}"

    @property
    def exempt_notice(self):
        return f"Exempt item under paragraph {self.exempt_paragraph} of Schedule 12A of the Local Government Act 1972"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionQuerySet(models.QuerySet):
    def public(self):
        """Actions the public may see: from published minutes, never tied to an exempt item."""
        return self.filter(
            meeting__minutes_status__in=PUBLIC_MINUTES, meeting__group__in=Group.objects.visible()
        ).exclude(agenda_item__is_exempt=True)


class Action(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=150, help_text="Who will do it: a person or a role.")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description[:60]


def attachment_path(instance, filename):
    # The uploader's file name is never used on disk: a random name with the checked extension.
    ext = PurePosixPath(filename).suffix.lower()
    return f"governance/attachments/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200, help_text="The checked name shown to readers.")
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("governance:attachment", kwargs={"pk": self.agenda_item.meeting_id, "attachment_pk": self.pk})


class EditLog(models.Model):
    """A change made to minutes after they were published: who, when, what."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="edit_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    what = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user}: {self.what[:60]}"
