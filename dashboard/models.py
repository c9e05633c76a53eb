"""Rule sets, rating runs and their results, priority overrides, and who opened which dashboard.

A run writes its SchoolRating and MeasureRating rows beside the previous run's; pages read only the
run `CurrentRun` points at, and that pointer moves in one step when a run has finished, so a crash
leaves yesterday's ratings whole.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from schools import measures
from schools.years import year_label

from . import ratings


class RuleSetQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=RuleSet.Status.LIVE)

    def for_year(self, year):
        """The live rule set that applies to an academic year: that year's, else the latest earlier one."""
        live = self.live()
        return (
            live.filter(year__lte=year).order_by("-year", "-version").first()
            or live.order_by("year", "-version").first()
        )


class RuleSetLocked(ValidationError):
    pass


class RuleSet(models.Model):
    """The rules of a year as data (see ratings.RuleSet.to_dict). A live set's rules never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Live"
        RETIRED = "retired", "Replaced"

    year = models.PositiveSmallIntegerField(help_text="Academic year it applies from (2018 = 2018/19)")
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    rules = models.JSONField()
    notes = models.TextField(blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_live_at = models.DateTimeField(null=True, blank=True)
    made_live_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="unique_rule_set_version"),
            models.UniqueConstraint(fields=["year"], condition=Q(status="live"), name="one_live_rule_set_per_year"),
        ]

    def __str__(self):
        return f"{self.name} ({year_label(self.year)}, version {self.version}, {self.get_status_display().lower()})"

    def save(self, *args, **kwargs):
        # Never silently changed: the rules and year of a live or replaced set are frozen.
        if self.pk:
            stored = RuleSet.objects.filter(pk=self.pk).values("status", "rules", "year").first()
            if stored and stored["status"] != self.Status.DRAFT:
                if stored["rules"] != self.rules or stored["year"] != self.year:
                    raise RuleSetLocked("A live rule set cannot be changed: copy it to a new version and edit that.")
        self.engine()  # refuse to store an incomplete rule set
        super().save(*args, **kwargs)

    def engine(self):
        """The rules as the engine's RuleSet, checked against the measure catalogue as it is now (raises
        IncompleteRuleSet on broken data)."""
        return ratings.RuleSet.from_dict(self.year, self.rules, measures.catalogue())

    @property
    def editable(self):
        return self.status == self.Status.DRAFT

    def next_version(self, year):
        last = RuleSet.objects.filter(year=year).aggregate(models.Max("version"))["version__max"] or 0
        return last + 1

    def copy(self, *, year=None, user=None):
        """A new draft from this one (same year: the next version)."""
        year = self.year if year is None else year
        return RuleSet.objects.create(
            year=year,
            version=self.next_version(year),
            name=self.name,
            rules=self.rules,
            notes=self.notes,
            copied_from=self,
            created_by=user,
        )



class RatingRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="runs")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Academic year rated")
    rating_date = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING, db_index=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=20, default="command", help_text="user, nightly or command")
    schools_considered = models.PositiveIntegerField(default=0)
    schools_rated = models.PositiveIntegerField(default=0)
    priorities_changed = models.PositiveIntegerField(default=0)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    duration_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"Rating run {self.pk} ({year_label(self.year)}, {self.get_status_display().lower()})"

    @property
    def triggered_by_label(self):
        if self.trigger == "nightly":
            return "the nightly refresh"
        if self.triggered_by_id:
            user = self.triggered_by
            return user.get_full_name() or user.email or user.username
        return "a command"


class CurrentRun(models.Model):
    """One row: the run every page reads. Moved in one step when a run has finished."""

    run = models.ForeignKey(RatingRun, on_delete=models.PROTECT, related_name="+")
    switched_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Current: {self.run}"

    @classmethod
    def get(cls):
        row = cls.objects.select_related("run", "run__rule_set", "run__triggered_by").filter(pk=1).first()
        return row.run if row else None


class Priority(models.TextChoices):
    P1 = "1", "Priority 1"
    P2 = "2", "Priority 2"
    P3 = "3", "Priority 3"
    NOT_RATED = "", "Not rated"


class Band(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NOT_RATED = "not_rated", "Not rated"


class SchoolRatingQuerySet(models.QuerySet):
    def current(self):
        run = CurrentRun.objects.filter(pk=1).values("run_id")
        return self.filter(run_id__in=run)


class SchoolRating(models.Model):
    run = models.ForeignKey(RatingRun, on_delete=models.CASCADE, related_name="school_ratings")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="ratings")
    priority = models.CharField(max_length=1, choices=Priority.choices, blank=True, db_index=True)
    reasons = models.TextField(blank=True)
    flags = models.JSONField(default=list, blank=True)
    # Band per measure code, so lists and heat maps need no join.
    bands = models.JSONField(default=dict, blank=True)
    red_core = models.PositiveSmallIntegerField(default=0)
    amber_core = models.PositiveSmallIntegerField(default=0)
    ofsted_outcome = models.CharField(max_length=40, blank=True)
    ofsted_band = models.CharField(max_length=10, choices=Band.choices, default=Band.NOT_RATED)
    ofsted_date = models.DateField(null=True, blank=True)
    inspection_age_flag = models.BooleanField(default=False)
    previous_priority = models.CharField(max_length=1, choices=Priority.choices, blank=True, null=True)
    changed = models.BooleanField(default=False, help_text="Priority differs from the previous run's")

    objects = SchoolRatingQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "school"], name="unique_school_rating")]
        indexes = [models.Index(fields=["run", "priority"])]

    def __str__(self):
        return f"{self.school} {self.get_priority_display()}"


class MeasureRating(models.Model):
    school_rating = models.ForeignKey(SchoolRating, on_delete=models.CASCADE, related_name="measures")
    measure_code = models.CharField(max_length=40)
    value = models.FloatField(null=True, blank=True)
    marker = models.CharField(max_length=8, blank=True)
    cohort = models.PositiveIntegerField(null=True, blank=True)
    comparator = models.FloatField(null=True, blank=True)
    comparator_name = models.CharField(max_length=40, blank=True)
    band = models.CharField(max_length=10, choices=Band.choices)
    rule = models.CharField(max_length=200, blank=True, help_text="The rule that fired, or why not rated")
    trend = models.BooleanField(default=False)
    core = models.BooleanField(default=True)
    # The academic year the value is from: each kind of file (KS2, KS4, absence) its own latest year.
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school_rating", "measure_code"])]

    def __str__(self):
        return f"{self.measure_code}: {self.get_band_display()}"


class PriorityOverrideQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cleared_at=None)


class PriorityOverride(models.Model):
    """A best-fit priority an LA officer sets over the computed one. Every change is a new row."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="priority_overrides")
    priority = models.CharField(max_length=1, choices=Priority.choices[:3])
    reason = models.TextField()
    computed_priority = models.CharField(max_length=1, blank=True, help_text="The computed priority at the time")
    run = models.ForeignKey(RatingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)

    objects = PriorityOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["-set_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["school"], condition=Q(cleared_at=None), name="one_active_override")
        ]

    def __str__(self):
        return f"{self.school}: {self.get_priority_display()} (best fit)"


class DashboardAccess(models.Model):
    """The access log: who viewed named-school data, when, and what (admins read it in the Django admin).

    One row per school dashboard or support record opened, and per bulk export (no school: the
    filter says which schools it held)."""

    class Kind(models.TextChoices):
        DASHBOARD = "dashboard", "School dashboard"
        SUPPORT = "support", "Support record"
        EXPORT = "export", "Bulk export"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DASHBOARD, db_index=True)
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="dashboard_accesses")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    path = models.CharField(max_length=300, blank=True)
    filter = models.CharField(max_length=500, blank=True, help_text="A bulk export's format and filter")

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "dashboard accesses"

    def __str__(self):
        what = self.school if self.school_id else self.filter
        return f"{self.user}: {self.get_kind_display()} {what} at {self.at:%Y-%m-%d %H:%M}"


