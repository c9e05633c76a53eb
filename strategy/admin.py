"""Strategy editing for partnership admins in the Django admin.

A strategy is written as a draft (vision, values, objectives inline), its goals and targets are
added per objective, and the "publish" action makes one strategy current. Saving a target
recomputes it at once, so the admin sees the computed figures on the same page.
"""

from django.contrib import admin, messages

from .models import (
    Goal,
    GoodOrBetterRecord,
    ManualPoint,
    ManualSeries,
    Objective,
    Strategy,
    StrategyValue,
    Target,
    TargetResult,
    VisionStatement,
)
from .presenters import present
from .progress import recompute_target


class VisionInline(admin.TabularInline):
    model = VisionStatement
    extra = 0


class ValueInline(admin.TabularInline):
    model = StrategyValue
    extra = 0


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ("number", "title", "led_by", "status")
    show_change_link = True


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ("title", "period", "status", "is_current", "published_at")
    list_filter = ("status", "is_current")
    readonly_fields = ("is_current", "published_at")
    fields = ("title", "start_year", "end_year", "summary", "easy_read_summary", "status", "is_current", "published_at")
    inlines = [VisionInline, ValueInline, ObjectiveInline]
    actions = ["publish"]

    @admin.action(description="Publish and make current (the current one becomes a past strategy)")
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one strategy to make current.", messages.ERROR)
            return
        strategy = queryset.get()
        strategy.publish()
        self.message_user(request, f"“{strategy.title}” is now the current strategy.", messages.SUCCESS)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["status"].help_text = (
            "A published strategy that is not current is listed under past strategies (use this to record an "
            "earlier strategy). To put a strategy live at /strategy/, use the action “Publish and make current” "
            "on the list of strategies."
        )
        return form

    def save_model(self, request, obj, form, change):
        # Unpublishing the current strategy takes it off /strategy/ as well.
        if obj.status == Strategy.Status.DRAFT:
            obj.is_current = False
        super().save_model(request, obj, form, change)


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ("number", "order", "text", "owner", "status", "due_date")


class ObjectiveTargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ("title", "kind", "headline")
    show_change_link = True
    readonly_fields = ("title", "kind", "headline")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Targets have many fields and a computed result: they are added on their own page.
        return False


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("__str__", "strategy", "led_by", "status")
    list_filter = ("strategy", "status", "led_by")
    inlines = [GoalInline, ObjectiveTargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "latest", "objective", "strategy")
    list_filter = ("strategy", "kind", "source")
    list_select_related = ("strategy", "objective", "result", "measure", "manual_series")
    actions = ["recompute"]
    fieldsets = (
        (None, {"fields": ("strategy", "objective", "order", "title", "headline")}),
        (
            "What success is",
            {
                "fields": (
                    "kind",
                    "source",
                    "measure",
                    "phase",
                    "manual_series",
                    "comparator",
                    "polarity",
                    "baseline_year",
                    "target_year",
                    "target_value",
                    "fraction",
                    "percent",
                ),
                "description": "Years are academic years by their start: 2016 means 2016/17.",
            },
        ),
        (
            "Computed progress (worked out when you save, and every night)",
            {
                "fields": (
                    "computed_status",
                    "computed_baseline",
                    "computed_goal",
                    "computed_latest",
                    "computed_note",
                    "computed_at",
                )
            },
        ),
    )
    readonly_fields = (
        "computed_status",
        "computed_baseline",
        "computed_goal",
        "computed_latest",
        "computed_note",
        "computed_at",
    )

    def _view(self, obj):
        if obj is None or obj.pk is None:
            return None
        cache = getattr(self, "_present_cache", {})
        key = (obj.pk, getattr(getattr(obj, "result", None), "computed_at", None))
        if key not in cache:
            cache = {key: present(obj)}
            self._present_cache = cache
        return cache[key]

    @admin.display(description="Status")
    def computed_status(self, obj):
        view = self._view(obj)
        return view.status_label if view else "Not computed yet: save the target"

    @admin.display(description="Baseline")
    def computed_baseline(self, obj):
        view = self._view(obj)
        return view.baseline if view else "-"

    @admin.display(description="Target")
    def computed_goal(self, obj):
        view = self._view(obj)
        return view.goal if view else "-"

    @admin.display(description="Latest")
    def computed_latest(self, obj):
        view = self._view(obj)
        if not view:
            return "-"
        return f"{view.latest} in {view.latest_year}" if view.latest_year else view.latest

    @admin.display(description="Note")
    def computed_note(self, obj):
        view = self._view(obj)
        return (view.note or "-") if view else "-"

    @admin.display(description="Computed at")
    def computed_at(self, obj):
        result = TargetResult.objects.filter(target=obj).first() if obj and obj.pk else None
        return result.computed_at if result else "-"

    @admin.display(description="Status")
    def status(self, obj):
        result = getattr(obj, "result", None)
        return result.get_status_display() if result else "Not computed"

    @admin.display(description="Latest")
    def latest(self, obj):
        return self._view(obj).latest if getattr(obj, "result", None) else "-"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recompute_target(obj)

    @admin.action(description="Recompute the selected targets now")
    def recompute(self, request, queryset):
        for target in queryset:
            recompute_target(target)
        self.message_user(request, f"Recomputed {queryset.count()} target(s).", messages.SUCCESS)


class ManualPointInline(admin.TabularInline):
    model = ManualPoint
    extra = 1
    fields = ("year", "value", "source", "entered_on")


@admin.register(ManualSeries)
class ManualSeriesAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    inlines = [ManualPointInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # New figures change the targets built on them (and "good or better" targets that use the series).
        for target in form.instance.targets.all():
            recompute_target(target)


@admin.register(GoodOrBetterRecord)
class GoodOrBetterRecordAdmin(admin.ModelAdmin):
    """The share of schools good or better recorded each year by the recompute: read-only history."""

    list_display = ("year", "value", "schools", "recorded_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
