"""School improvement support: terms, scope, plans, visits, next steps, questions, peer support.

The tables keep the names they had when support lived in the dashboard app (dashboard_<model>), so
moving the app moved no data.

A rating run settles the priorities; `support.plans.sync_support_after_run` then turns each in-scope
school's effective priority (the best-fit one when set) into this term's work: visits for P1 and P2
schools, a question about the red measures for P3 schools. Every change is kept in SupportEvent.
Everything here is confidential: it names schools beside their priorities.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from dashboard.models import Priority
from schools.models import Governance


class TermName(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


TERM_ORDER = {TermName.AUTUMN: 0, TermName.SPRING: 1, TermName.SUMMER: 2}


class TermQuerySet(models.QuerySet):
    def containing(self, date):
        return self.filter(start__lte=date, end__gte=date).order_by("start").first()


class Term(models.Model):
    """A school term of an academic year. support.terms makes the default dates; an admin may move them."""

    academic_year = models.PositiveSmallIntegerField(help_text="Academic year by start: 2025 = 2025/26")
    name = models.CharField(max_length=10, choices=TermName.choices)
    start = models.DateField()
    end = models.DateField()

    objects = TermQuerySet.as_manager()

    class Meta:
        db_table = "dashboard_term"
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["academic_year", "name"], name="unique_support_term")]

    def __str__(self):
        return f"{self.get_name_display()} term {self.academic_year}/{(self.academic_year + 1) % 100:02d}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The term must end on or after its start."})

    def contains(self, date):
        return self.start <= date <= self.end


class SupportSettings(models.Model):
    """One row (pk 1): how much work each priority brings. Editable in the Django admin."""

    p1_visits_per_term = models.PositiveSmallIntegerField(default=2, help_text="Visits planned each term for a P1 school")
    p2_visits_per_term = models.PositiveSmallIntegerField(default=1, help_text="Visits planned this term for a P2 school")
    question_reply_days = models.PositiveSmallIntegerField(
        default=20, help_text="Days a school has to reply to a question before reminders are sent"
    )
    reminder_interval_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days between reminders to a school about the same unanswered question"
    )

    class Meta:
        db_table = "dashboard_supportsettings"
        verbose_name = verbose_name_plural = "support settings"

    def __str__(self):
        return "Support settings"

    @classmethod
    def get(cls):
        row, _ = cls.objects.get_or_create(pk=1)
        return row


class SupportExclusionQuerySet(models.QuerySet):
    def excludes(self, school):
        return self.filter(Q(school=school) | Q(category=school.governance, school=None)).exists()


class SupportExclusion(models.Model):
    """Takes one school, or a whole governance category (e.g. academies whose trust supports them), out of scope."""

    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="support_exclusions"
    )
    category = models.CharField(
        max_length=20, choices=Governance.choices, blank=True, help_text="A whole governance category"
    )
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupportExclusionQuerySet.as_manager()

    class Meta:
        db_table = "dashboard_supportexclusion"
        ordering = ["category", "school__name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(school__isnull=False) & Q(category="")) | (Q(school__isnull=True) & ~Q(category="")),
                name="support_exclusion_school_or_category",
            )
        ]

    def __str__(self):
        return f"Out of scope: {self.school or self.get_category_display()}"

    def clean(self):
        if bool(self.school_id) == bool(self.category):
            raise ValidationError("Choose either one school or one category, not both.")

    @property
    def what(self):
        return self.school.name if self.school_id else f"All {self.get_category_display().lower()} schools"


class SupportPlan(models.Model):
    """A school's support this term, following its effective priority."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="support_plans")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="plans")
    priority = models.CharField(max_length=1, choices=Priority.choices, blank=True)
    run = models.ForeignKey(
        "dashboard.RatingRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The rating run that last set this plan's priority",
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="advised_plans",
        help_text="The adviser who leads the visits",
    )
    supporting_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="supporting_plans",
        help_text="A school brokered to support this one",
    )
    notes = models.TextField(blank=True)
    in_scope = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "dashboard_supportplan"
        ordering = ["priority", "school__name"]
        constraints = [models.UniqueConstraint(fields=["school", "term"], name="one_support_plan_per_term")]

    def __str__(self):
        return f"Support plan: {self.school} ({self.term})"


class VisitQuerySet(models.QuerySet):
    def planned(self):
        return self.filter(status=Visit.Status.PLANNED)

    def overdue(self, today):
        return self.planned().filter(planned_date__lt=today)

    def visible_to(self, user):
        from schools.models import School

        return self.filter(school__in=School.objects.visible_to(user))


class Visit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="visits")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="support_visits")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True)
    planned_date = models.DateField()
    done_date = models.DateField(null=True, blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="support_visits"
    )
    met_with = models.CharField(max_length=300, blank=True, help_text="Who the visitor met at the school")
    focus = models.JSONField(default=list, blank=True, help_text="Measure codes the visit looked at")
    findings = models.TextField(blank=True)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        db_table = "dashboard_visit"
        ordering = ["planned_date", "id"]

    def __str__(self):
        return f"Visit to {self.school} ({self.planned_date:%d %b %Y})"

    def is_overdue(self, today=None):
        today = today or datetime.date.today()
        return self.status == self.Status.PLANNED and self.planned_date < today


class NextStepQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on=None)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)


class NextStep(models.Model):
    """An agreed action from a visit, with its owner and date."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="next_steps")
    action = models.TextField()
    owner = models.CharField(max_length=200, help_text="Who will do it (a name or role)")
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NextStepQuerySet.as_manager()

    class Meta:
        db_table = "dashboard_nextstep"
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.action[:60]


class QuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[Question.Status.OPEN, Question.Status.ANSWERED])

    def visible_to(self, user):
        from schools.models import School

        return self.filter(school__in=School.objects.visible_to(user))


class Question(models.Model):
    """Asks a P3 school about its red measures: explain them, or say what it will do."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the school"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="support_questions")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="questions")
    plan = models.ForeignKey(SupportPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    run = models.ForeignKey("dashboard.RatingRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A snapshot of the red measures when asked: [{code, label, value, comparator, comparator_name, unit}].
    measures = models.JSONField(default=list)
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    reply_by = models.DateField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(blank=True, help_text="The officer's note when closing or withdrawing")

    objects = QuestionQuerySet.as_manager()

    class Meta:
        db_table = "dashboard_question"
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return f"Question to {self.school} ({self.term})"

    @property
    def codes(self):
        return sorted(m["code"] for m in self.measures)

    @property
    def is_active(self):
        return self.status in (self.Status.OPEN, self.Status.ANSWERED)


class Reply(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    explanation = models.TextField(blank=True)
    action = models.TextField(blank=True, help_text="What the school will do")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "dashboard_reply"
        ordering = ["created_at", "id"]
        verbose_name_plural = "replies"

    def __str__(self):
        return f"Reply to {self.question}"


class SupportEvent(models.Model):
    """The history of a school's support: what changed, why, who or which run."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Plan"
        PRIORITY = "priority", "Priority changed"
        VISIT_PLANNED = "visit_planned", "Visit planned"
        VISIT_DONE = "visit_done", "Visit recorded"
        VISIT_CANCELLED = "visit_cancelled", "Visit cancelled"
        NEXT_STEP = "next_step", "Next step"
        QUESTION = "question", "Question asked"
        QUESTION_UPDATED = "question_updated", "Question updated"
        REPLY = "reply", "Reply"
        QUESTION_CLOSED = "question_closed", "Question closed"
        QUESTION_WITHDRAWN = "question_withdrawn", "Question withdrawn"
        SCOPE = "scope", "Scope"
        REMINDER = "reminder", "Reminder"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="support_events")
    term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    run = models.ForeignKey("dashboard.RatingRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "dashboard_supportevent"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.school}: {self.text[:60]}"


class SupportOffer(models.Model):
    """A school willing to support others: in one measure, or in general (blank measure)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="support_offers")
    measure_code = models.CharField(max_length=40, blank=True, help_text="Blank: willing to help in any area")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "dashboard_supportoffer"
        ordering = ["school__name", "measure_code"]
        constraints = [models.UniqueConstraint(fields=["school", "measure_code"], name="one_support_offer")]

    def __str__(self):
        return f"{self.school} offers support in {self.measure_code or 'any area'}"


class PeerReviewRound(models.Model):
    """A cluster's peer-review round: schools reviewing each other, with notes."""

    cluster = models.ForeignKey("schools.Cluster", on_delete=models.CASCADE, related_name="peer_review_rounds")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="peer_review_rounds")
    date = models.DateField()
    schools_reviewed = models.ManyToManyField("schools.School", blank=True, related_name="peer_reviews")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "dashboard_peerreviewround"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.cluster} peer review, {self.date:%d %b %Y}"

