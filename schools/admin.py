"""Django admin for the register: admins link school leaders to schools and trust leaders to trusts here."""

from django.contrib import admin

from .models import Cluster, ImportRecord, LocalAuthority, Measure, School, SchoolLink, Trust, TrustLink


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class TrustLinkInline(admin.TabularInline):
    model = TrustLink
    extra = 0
    autocomplete_fields = ("trust",)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "urn", "la", "phase", "governance", "status")
    list_filter = ("phase", "governance", "status", "la")
    search_fields = ("name", "urn")
    filter_horizontal = ("leaders",)
    inlines = [TrustLinkInline]
    list_select_related = ("la",)


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ("name", "uid", "type", "companies_house_number")
    list_filter = ("type",)
    search_fields = ("name", "uid")
    filter_horizontal = ("leaders",)


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    search_fields = ("name",)
    filter_horizontal = ("schools",)


@admin.register(SchoolLink)
class SchoolLinkAdmin(admin.ModelAdmin):
    list_display = ("urn", "link_type", "linked_urn", "link_established")
    search_fields = ("urn", "linked_urn")


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ("file_name", "kind", "academic_year", "status", "created_at", "user", "rows_read", "rows_written")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ImportRecord._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    """The one measure catalogue: ratings, strategy targets and imports read labels, units and polarity here."""

    list_display = ("code", "short_label", "reasons_label", "unit", "polarity", "kind", "is_core", "min_cohort")
    list_filter = ("kind", "polarity", "unit", "is_core")
    search_fields = ("code", "label", "short_label")
    # The code and the file kind are what imports and rule sets join on: fixed once a measure exists.
    readonly_when_changing = ("code", "kind")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_when_changing if obj else ()

