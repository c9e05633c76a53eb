"""Admins set up groups and their members (chairs included) here; chairs write minutes in the portal's editor."""

from django.contrib import admin

from .models import Action, AgendaItem, Attendance, EditLog, Group, Meeting, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "starts_on", "ends_on", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "starts_on", "ends_on"]
    list_filter = ["role", "group"]
    search_fields = ["user__email", "user__last_name", "group__name"]
    autocomplete_fields = ["user", "group"]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "status", "minutes_status"]
    list_filter = ["status", "minutes_status", "group"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["approved_at_meeting"]
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "due_on", "status", "meeting"]
    list_filter = ["status"]


@admin.register(EditLog)
class EditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "meeting", "what"]
    readonly_fields = ["meeting", "user", "at", "what"]

    def has_add_permission(self, request):
        return False
