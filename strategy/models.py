"""The partnership's strategy: vision, values, objectives with their goals, and measurable targets.

One published strategy is current at a time; earlier ones stay published and browsable as past
strategies. A target says what success is in a form `strategy.targets` computes from the data;
`strategy.progress.recompute_targets()` stores the outcome in `TargetResult`.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from schools.years import year_label

from . import targets as engine


class StrategyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Strategy.Status.PUBLISHED)

    def current(self):
        return self.published().filter(is_current=True).first()

    def past(self):
        return self.published().filter(is_current=False).order_by("-end_year", "-start_year", "-pk")

    def visible_to(self, user):
        """Drafts are seen only by partnership admins (who write them)."""
        from pep_portal.roles import is_admin

        return self.all() if is_admin(user) else self.published()


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField(help_text="First year of the strategy, e.g. 2017")
    end_year = models.PositiveSmallIntegerField(help_text="Last year of the strategy, e.g. 2020")
    summary = models.TextField(blank=True, help_text="A short introduction, shown above the vision.")
    easy_read_summary = models.TextField(
        blank=True, help_text="The strategy in short sentences and everyday words, shown to the public."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_current = models.BooleanField(
        default=False, editable=False, help_text="The strategy shown at /strategy/ (set by publishing it)."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "-pk"]
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_strategy"),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(status="published"), name="current_strategy_is_published"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.period})"

    def get_absolute_url(self):
        if self.is_current:
            return reverse("strategy:overview")
        return reverse("strategy:detail", kwargs={"pk": self.pk})

    @property
    def period(self):
        return f"{self.start_year} to {self.end_year}"

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The last year must be on or after the first year."})

    @transaction.atomic
    def publish(self):
        """Make this the one current strategy; the one it replaces stays published as a past strategy."""
        Strategy.objects.filter(is_current=True).exclude(pk=self.pk).update(is_current=False)
        self.status = self.Status.PUBLISHED
        self.is_current = True
        if self.published_at is None:
            self.published_at = timezone.now()
        self.save()


class VisionStatement(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="vision_statements")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:80]


class StrategyValue(models.Model):
    """One of the strategy's shared values (not a performance figure: those are schools.Value)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="values")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "shared value"

    def __str__(self):
        return self.text[:80]


class WorkStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    ONGOING = "ongoing", "Ongoing"


WORK_STATUS_TAGS = {
    WorkStatus.NOT_STARTED: "govuk-tag--grey",
    WorkStatus.IN_PROGRESS: "govuk-tag--blue",
    WorkStatus.DONE: "govuk-tag--green",
    WorkStatus.ONGOING: "govuk-tag--purple",
}


class Objective(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    led_by = models.ForeignKey(
        "governance.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_objectives",
        help_text="The group that leads this objective.",
    )
    status = models.CharField(max_length=20, choices=WorkStatus.choices, default=WorkStatus.IN_PROGRESS)

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="unique_objective_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        if self.strategy.is_current:
            return reverse("strategy:objective", kwargs={"number": self.number})
        return reverse("strategy:past_objective", kwargs={"pk": self.strategy_id, "number": self.number})

    @property
    def status_tag(self):
        return WORK_STATUS_TAGS.get(self.status, "govuk-tag--grey")


class Goal(models.Model):
    """A numbered goal or action under an objective, with the group that owns it."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="goals")
    number = models.CharField(max_length=10, help_text="As the strategy numbers it, e.g. 1, 2 or 1a")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    owner = models.ForeignKey(
        "governance.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_goals"
    )
    status = models.CharField(max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED)
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["objective", "order", "pk"]
        verbose_name = "goal or action"
        verbose_name_plural = "goals and actions"

    def __str__(self):
        return f"Goal {self.number}: {self.text[:60]}"

    @property
    def status_tag(self):
        return WORK_STATUS_TAGS.get(self.status, "govuk-tag--grey")


class ManualSeries(models.Model):
    """Figures the portal does not import (e.g. teacher trainees), entered by an admin with their source."""

    class Unit(models.TextChoices):
        COUNT = "count", "number"
        PERCENT = "percent", "%"
        SCORE = "score", "score"

    name = models.CharField(max_length=150, unique=True)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.COUNT)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "manual series"

    def __str__(self):
        return self.name


class ManualPoint(models.Model):
    series = models.ForeignKey(ManualSeries, on_delete=models.CASCADE, related_name="points")
    year = models.PositiveSmallIntegerField(help_text="Academic year by its start: 2018 = 2018/19")
    value = models.FloatField()
    source = models.CharField(max_length=300, help_text="Where the figure comes from")
    entered_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["series", "year"]
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="unique_manual_point")]

    def __str__(self):
        return f"{self.series}: {year_label(self.year)} = {self.value:g}"


class Target(models.Model):
    class Kind(models.TextChoices):
        REACH = engine.Kind.REACH, "Reach a value"
        AT_OR_BETTER = engine.Kind.AT_OR_BETTER, "Be at or better than the comparator"
        CLOSE_GAP = engine.Kind.CLOSE_GAP, "Close the gap to the comparator by a fraction"
        CHANGE_PERCENT = engine.Kind.CHANGE_PERCENT, "Change by a percentage"

    class Source(models.TextChoices):
        LA = "la", "The partnership's local authority figures (imported)"
        SCHOOLS = "schools", "The partnership's schools' figures, aggregated"
        GOOD_OR_BETTER = "good_or_better", "Share of the partnership's schools judged good or better by Ofsted"
        MANUAL = "manual", "A manually entered series"

    class Comparator(models.TextChoices):
        ENGLAND = "england", "England (state-funded schools)"
        NEIGHBOURS = "neighbours", "Statistical neighbours"

    class Polarity(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class BenchmarkPhase(models.TextChoices):
        ALL = "", "All (or not phased)"
        PRIMARY = "PRI", "Primary"
        SECONDARY = "SEC", "Secondary"
        SPECIAL = "SPE", "Special"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="targets")
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(
        max_length=200, help_text="As the scorecard says it, e.g. KS2 expected standard: gap to England closed by half"
    )
    headline = models.BooleanField(default=False, help_text="Shown on the home page")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.LA)
    measure = models.ForeignKey(
        "schools.Measure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_targets",
        help_text="For local authority or school figures",
    )
    phase = models.CharField(
        max_length=3,
        choices=BenchmarkPhase.choices,
        blank=True,
        default="",
        help_text="For measures published by phase (absence): which phase's figures",
    )
    manual_series = models.ForeignKey(
        ManualSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    comparator = models.CharField(max_length=20, choices=Comparator.choices, default=Comparator.ENGLAND)
    polarity = models.CharField(
        max_length=10,
        choices=Polarity.choices,
        default=Polarity.HIGHER,
        help_text="Taken from the measure when there is one",
    )
    baseline_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Academic year by its start: 2016 = 2016/17. Empty: the first year with data."
    )
    target_year = models.PositiveSmallIntegerField(help_text="Academic year by its start: 2019 = 2019/20")
    target_value = models.FloatField(null=True, blank=True, help_text="For 'reach a value'")
    fraction = models.FloatField(null=True, blank=True, help_text="For 'close the gap': 0.5 closes it by half")
    percent = models.FloatField(null=True, blank=True, help_text="For 'change by a percentage': 15 means +15%")

    class Meta:
        ordering = ["strategy", "order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.objective_id:
            return self.objective.get_absolute_url() + f"#target-{self.pk}"
        return self.strategy.get_absolute_url() + "#scorecard"

    def clean(self):
        errors = {}
        if self.source in (self.Source.LA, self.Source.SCHOOLS) and not self.measure_id:
            errors["measure"] = "Choose the measure these figures are for."
        if self.source == self.Source.MANUAL and not self.manual_series_id:
            errors["manual_series"] = "Choose the manual series."
        if self.kind in (self.Kind.AT_OR_BETTER, self.Kind.CLOSE_GAP) and self.source != self.Source.LA:
            errors["source"] = "Comparisons with England or neighbours use the local authority figures."
        if self.kind == self.Kind.REACH and self.target_value is None:
            errors["target_value"] = "Enter the value to reach."
        if self.kind == self.Kind.CLOSE_GAP and (self.fraction is None or not 0 < self.fraction <= 1):
            errors["fraction"] = "Enter the fraction of the gap to close, more than 0 and at most 1 (0.5 = by half)."
        if self.kind == self.Kind.CHANGE_PERCENT:
            if self.percent is None:
                errors["percent"] = "Enter the percentage change (15 means +15%)."
            if self.baseline_year is None:
                errors["baseline_year"] = "A percentage change needs a baseline year."
        if self.kind == self.Kind.CLOSE_GAP and self.baseline_year is None:
            errors["baseline_year"] = "Closing a gap needs a baseline year."
        if self.baseline_year and self.target_year and self.target_year < self.baseline_year:
            errors["target_year"] = "The target year must be on or after the baseline year."
        if errors:
            raise ValidationError(errors)

    @property
    def lower_is_better(self):
        if self.measure_id and self.measure.polarity in ("higher", "lower"):
            return self.measure.polarity == "lower"
        return self.polarity == self.Polarity.LOWER

    @property
    def unit(self):
        if self.source == self.Source.GOOD_OR_BETTER:
            return "percent"
        if self.source == self.Source.MANUAL and self.manual_series_id:
            return self.manual_series.unit
        if self.measure_id:
            return self.measure.unit
        return "count"

    @property
    def comparator_label(self):
        return "statistical neighbours" if self.comparator == self.Comparator.NEIGHBOURS else "England"

    def spec(self):
        return engine.Spec(
            kind=self.kind,
            target_year=self.target_year,
            lower_is_better=self.lower_is_better,
            baseline_year=self.baseline_year,
            target_value=self.target_value,
            fraction=self.fraction,
            percent=self.percent,
        )


class TargetResult(models.Model):
    """The last computed progress of a target (recomputed nightly and whenever the target is saved)."""

    class Status(models.TextChoices):
        MET = engine.Status.MET, "Met"
        ON_TRACK = engine.Status.ON_TRACK, "On track"
        OFF_TRACK = engine.Status.OFF_TRACK, "Off track"
        NO_DATA = engine.Status.NO_DATA, "No data"

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="result")
    computed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices)
    measured = models.CharField(max_length=5, default="value", help_text="value or gap")
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    latest_year = models.PositiveSmallIntegerField(null=True, blank=True)
    latest_value = models.FloatField(null=True, blank=True)
    latest_note = models.CharField(max_length=100, blank=True, help_text="Why the latest figure is withheld")
    comparator_used = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    rows = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"{self.target}: {self.get_status_display()}"

    @property
    def status_tag(self):
        return {
            engine.Status.MET: "govuk-tag--green",
            engine.Status.ON_TRACK: "govuk-tag--turquoise",
            engine.Status.OFF_TRACK: "govuk-tag--red",
        }.get(self.status, "govuk-tag--grey")


class GoodOrBetterRecord(models.Model):
    """The share of the partnership's schools judged good or better, as recorded each academic year.

    The register only holds each school's latest Ofsted outcome, so the history of the share is kept
    by recording it on every recompute (the current year's record is overwritten until the year ends).
    """

    year = models.PositiveSmallIntegerField(unique=True, help_text="Academic year by its start")
    value = models.FloatField(null=True, blank=True, help_text="Empty when withheld (too few schools)")
    schools = models.PositiveIntegerField(default=0, help_text="Schools with a graded Ofsted outcome")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["year"]

    def __str__(self):
        return f"{year_label(self.year)}: {self.value}"
