"""Read-only admin views: the audit trails (who opened a dashboard, overrides) and run history.

Rule sets are edited on the portal's own pages (/dashboard/rules/), which keep live sets frozen.
"""

from django.contrib import admin

from .models import DashboardAccess, PriorityOverride, RatingRun, RuleSet


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DashboardAccess)
class DashboardAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "kind", "school", "filter", "path")
    list_filter = ("kind", "at")
    search_fields = ("user__email", "school__name", "school__urn", "filter")
    list_select_related = ("user", "school")
    date_hierarchy = "at"


@admin.register(PriorityOverride)
class PriorityOverrideAdmin(ReadOnlyAdmin):
    list_display = ("school", "priority", "computed_priority", "set_by", "set_at", "cleared_by", "cleared_at")
    search_fields = ("school__name", "school__urn", "reason")
    list_select_related = ("school", "set_by", "cleared_by")


@admin.register(RatingRun)
class RatingRunAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "year",
        "status",
        "trigger",
        "triggered_by",
        "started_at",
        "finished_at",
        "schools_rated",
        "priorities_changed",
    )
    list_filter = ("status", "trigger")


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ("name", "year", "version", "status", "made_live_at", "made_live_by")
    list_filter = ("status", "year")
