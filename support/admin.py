"""Admin for support: terms (dates per year), settings, what is out of scope, and the records themselves."""

from django.contrib import admin

from .models import (
    NextStep,
    PeerReviewRound,
    Question,
    Reply,
    SupportEvent,
    SupportExclusion,
    SupportOffer,
    SupportPlan,
    SupportSettings,
    Term,
    Visit,
)


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("__str__", "start", "end")
    list_filter = ("academic_year", "name")


@admin.register(SupportSettings)
class SupportSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "p1_visits_per_term", "p2_visits_per_term", "question_reply_days")

    def has_add_permission(self, request):
        return not SupportSettings.objects.exists()


@admin.register(SupportExclusion)
class SupportExclusionAdmin(admin.ModelAdmin):
    list_display = ("what", "reason", "created_by", "created_at")
    autocomplete_fields = ("school",)
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class NextStepInline(admin.TabularInline):
    model = NextStep
    extra = 0


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("school", "planned_date", "status", "done_date", "visitor")
    list_filter = ("status", "plan__term")
    search_fields = ("school__name", "school__urn")
    raw_id_fields = ("plan", "school")
    inlines = [NextStepInline]


@admin.register(SupportPlan)
class SupportPlanAdmin(admin.ModelAdmin):
    list_display = ("school", "term", "priority", "adviser", "supporting_school", "in_scope")
    list_filter = ("term", "priority", "in_scope")
    search_fields = ("school__name", "school__urn")
    raw_id_fields = ("school", "supporting_school", "run")


class ReplyInline(admin.StackedInline):
    model = Reply
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("school", "term", "status", "opened_at", "reply_by")
    list_filter = ("status", "term")
    search_fields = ("school__name", "school__urn")
    raw_id_fields = ("school", "plan", "run")
    inlines = [ReplyInline]


@admin.register(SupportEvent)
class SupportEventAdmin(admin.ModelAdmin):
    list_display = ("at", "school", "kind", "text", "user")
    list_filter = ("kind",)
    search_fields = ("school__name", "text")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupportOffer)
class SupportOfferAdmin(admin.ModelAdmin):
    list_display = ("school", "measure_code", "note")
    autocomplete_fields = ("school",)


@admin.register(PeerReviewRound)
class PeerReviewRoundAdmin(admin.ModelAdmin):
    list_display = ("cluster", "date", "term")
    filter_horizontal = ("schools_reviewed",)
