"""The nightly refresh's own records: one RefreshRun per attempt to refresh, and a lock row for SQLite.

Kept apart from the rating models so the refresh can change without touching the rating engine's
tables. The tables keep the names they had when these models lived in the dashboard app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RefreshRunQuerySet(models.QuerySet):
    def good(self):
        return self.filter(status=RefreshRun.Status.DONE)

    def active(self):
        return self.filter(status__in=(RefreshRun.Status.QUEUED, RefreshRun.Status.RUNNING))

    def history(self):
        return self.select_related("triggered_by", "rating_run").order_by("-created_at", "-id")


class RefreshRun(models.Model):
    """One request to refresh (nightly, "run now", the watchdog or a command) and what became of it.

    `key` names the run being asked for (the scheduled night, or one "run now" press): a second
    delivery of the same key is recorded as skipped, and at most one row per key is ever done.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", "Nightly schedule"
        USER = "user", "Run now"
        WATCHDOG = "watchdog", "Watchdog (missed run)"
        COMMAND = "command", "Command"

    key = models.CharField(max_length=80, db_index=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.COMMAND)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    step = models.CharField(max_length=80, blank=True, help_text="What the run is doing now (progress)")
    task_id = models.CharField(max_length=80, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rating_run = models.ForeignKey(
        "dashboard.RatingRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    targets_recomputed = models.PositiveIntegerField(default=0)
    schools_rated = models.PositiveIntegerField(default=0)
    priorities_changed = models.PositiveIntegerField(default=0)
    emails_sent = models.PositiveIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The run could not be queued (broker down): the watchdog runs it when the broker is back.
    pending = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    log = models.TextField(blank=True, help_text="One line per event: attempts, retries, interruptions")

    objects = RefreshRunQuerySet.as_manager()

    class Meta:
        db_table = "dashboard_refreshrun"
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database itself refuses a second completed entry for the same run.
            models.UniqueConstraint(fields=["key"], condition=Q(status="done"), name="one_done_refresh_per_key"),
        ]

    def __str__(self):
        return f"Refresh {self.pk} ({self.key}, {self.get_status_display().lower()})"

    @property
    def duration_seconds(self):
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.SKIPPED)

    @property
    def who(self):
        if self.triggered_by_id:
            user = self.triggered_by
            return user.get_full_name() or user.email or user.username
        return self.get_trigger_display()


class RefreshLock(models.Model):
    """The overlap guard where PostgreSQL advisory locks are not available (SQLite)."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=80, blank=True)
    acquired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "dashboard_refreshlock"

    def __str__(self):
        return f"{self.name}: {self.holder or 'free'}"
