"""The officers' school list: one row per school of the current run, bands written as words."""

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from schools import register_cache
from schools.models import Cluster, Phase
from schools.widgets import LongSelect

from .models import Band, SchoolRating

BAND_LABELS = dict(Band.choices)


def band_html(band):
    if not band:
        return mark_safe('<span class="govuk-visually-hidden">Not for this phase</span>')  # noqa: S308 - constant
    css = "grey" if band == Band.NOT_RATED else band
    return format_html('<strong class="pep-band pep-band--{}">{}</strong>', css, BAND_LABELS.get(band, band))


def priority_html(priority):
    if not priority:
        return mark_safe('<strong class="pep-band pep-band--grey">Not rated</strong>')  # noqa: S308 - constant
    return format_html('<strong class="pep-priority pep-priority--{}">Priority {}</strong>', priority, priority)


class BandColumn(tables.Column):
    def __init__(self, code, label):
        self.code = code
        super().__init__(verbose_name=label, accessor="bands", orderable=False, empty_values=())

    def render(self, record):
        return band_html(record.bands.get(self.code, ""))

    def value(self, record):
        return BAND_LABELS.get(record.bands.get(self.code, ""), "")


class RatingTable(tables.Table):
    school = tables.Column(verbose_name="School", accessor="school__name", order_by=("school__name",))
    urn = tables.Column(verbose_name="URN", accessor="school__urn")
    phase = tables.Column(verbose_name="Phase", accessor="school__phase")
    priority = tables.Column(verbose_name="Priority", order_by=("priority_rank", "school__name"), empty_values=())
    best_fit = tables.Column(verbose_name="Best fit", accessor="override_priority", empty_values=(),
                             order_by=("override_priority", "school__name"))
    changed = tables.Column(verbose_name="Changed", empty_values=(), order_by=("-changed", "school__name"))

    class Meta:
        order_by = ("priority", "school")
        orderable = True
        empty_text = "No schools match these filters."
        template_name = "django_tables2/table.html"

    def __init__(self, data, core_codes=(), labels=None, **kwargs):
        extra = [(f"band_{code}", BandColumn(code, (labels or {}).get(code, code))) for code in core_codes]
        super().__init__(data, extra_columns=extra, **kwargs)

    def render_school(self, record):
        url = reverse("dashboard:school_detail", args=[record.school.urn])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.school.name)

    def render_phase(self, record):
        return record.school.get_phase_display()

    def render_priority(self, record):
        return priority_html(record.priority)

    def render_best_fit(self, value):
        return priority_html(value) if value else "None"

    def render_changed(self, record):
        if not record.changed:
            return "No"
        was = f"Priority {record.previous_priority}" if record.previous_priority else "not rated"
        return f"Yes, was {was}"


YES = [("yes", "Yes")]


class RatingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or URN", method="search",
                                  widget=forms.TextInput(attrs={"class": "govuk-input", "spellcheck": "false"}))
    phase = django_filters.ChoiceFilter(field_name="school__phase", choices=Phase.choices, empty_label="Any phase")
    type_name = django_filters.ChoiceFilter(field_name="school__type_name", label="Type", choices=[],
                                            empty_label="Any type")
    trust = django_filters.ChoiceFilter(label="Trust", choices=[], method="in_trust", empty_label="Any trust",
                                        widget=LongSelect)
    cluster = django_filters.ModelChoiceFilter(label="Cluster", queryset=Cluster.objects.none(),
                                               method="in_cluster", empty_label="Any cluster")
    priority = django_filters.ChoiceFilter(label="Computed priority", empty_label="Any priority",
                                           choices=[("1", "Priority 1"), ("2", "Priority 2"), ("3", "Priority 3"),
                                                    ("none", "Not rated")], method="by_priority")
    red_on = django_filters.ChoiceFilter(label="Red on measure", choices=[], method="by_red_on", empty_label="Any")
    changed = django_filters.ChoiceFilter(label="Changed since the last run", choices=YES, method="only_changed",
                                          empty_label="Either")
    overridden = django_filters.ChoiceFilter(label="Best-fit priority set", choices=YES, method="only_overridden",
                                             empty_label="Either")

    class Meta:
        model = SchoolRating
        fields = []

    def __init__(self, data=None, queryset=None, *, core_codes=(), labels=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        key = register_cache.register_key()  # choices change only with the register: cached
        self.filters["type_name"].extra["choices"] = register_cache.type_choices(key)
        self.filters["trust"].extra["choices"] = register_cache.trust_choices("id", key)
        self.filters["cluster"].queryset = Cluster.objects.order_by("name")
        self.filters["red_on"].extra["choices"] = [(c, (labels or {}).get(c, c)) for c in core_codes]
        for f in self.form.fields.values():
            if isinstance(f.widget, forms.Select):
                f.widget.attrs["class"] = "govuk-select"

    def search(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(Q(school__urn=int(value)) | Q(school__name__icontains=value))
        return queryset.filter(school__name__icontains=value) if value else queryset

    def in_trust(self, queryset, name, value):
        return queryset.filter(school__trust_links__trust_id=value, school__trust_links__left_on=None).distinct()

    def in_cluster(self, queryset, name, value):
        return queryset.filter(school__clusters=value)

    def by_priority(self, queryset, name, value):
        return queryset.filter(priority="" if value == "none" else value)

    def by_red_on(self, queryset, name, value):
        return queryset.filter(**{f"bands__{value}": Band.RED})

    def only_changed(self, queryset, name, value):
        return queryset.filter(changed=True)

    def only_overridden(self, queryset, name, value):
        return queryset.exclude(override_priority=None)


