"""Directory filters: name or URN, phase, type, governance, trust, Ofsted, cluster."""

import django_filters
from django import forms
from django.db.models import Q

from . import register_cache
from .models import Cluster, Governance, Phase, School
from .widgets import LongSelect

OFSTED_CHOICES = [
    ("Outstanding", "Outstanding"),
    ("Good", "Good"),
    ("Requires improvement", "Requires improvement"),
    ("Inadequate", "Inadequate (serious weaknesses or special measures)"),
    ("none", "No rating in the register"),
]
INADEQUATE = ("Inadequate", "Serious Weaknesses", "Special Measures")


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or URN", method="search",
                                  widget=forms.TextInput(attrs={"class": "govuk-input", "spellcheck": "false"}))
    phase = django_filters.ChoiceFilter(choices=Phase.choices, empty_label="Any phase")
    type_name = django_filters.ChoiceFilter(label="Type", choices=[], empty_label="Any type")
    governance = django_filters.ChoiceFilter(label="Governance", choices=Governance.choices, empty_label="Any")
    trust = django_filters.ChoiceFilter(label="Trust", choices=[], method="in_trust", empty_label="Any trust",
                                        widget=LongSelect)
    ofsted = django_filters.ChoiceFilter(label="Ofsted", choices=OFSTED_CHOICES, method="by_ofsted",
                                         empty_label="Any")
    cluster = django_filters.ModelChoiceFilter(label="Cluster", field_name="clusters", queryset=Cluster.objects.none(),
                                               empty_label="Any")
    closed = django_filters.BooleanFilter(label="Include closed schools", method="include_closed",
                                          widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}))

    class Meta:
        model = School
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        key = register_cache.register_key()  # choices change only with the register: cached
        self.filters["type_name"].extra["choices"] = register_cache.type_choices(key)
        self.filters["trust"].extra["choices"] = register_cache.trust_choices("uid", key)
        self.filters["cluster"].queryset = Cluster.objects.order_by("name")
        for f in self.form.fields.values():
            if isinstance(f.widget, forms.Select):
                f.widget.attrs["class"] = "govuk-select"

    @property
    def qs(self):
        qs = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("closed")):
            qs = qs.exclude(status=School.Status.CLOSED)
        return qs

    def search(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(Q(urn=int(value)) | Q(name__icontains=value))
        return queryset.filter(name__icontains=value) if value else queryset

    def in_trust(self, queryset, name, value):
        return queryset.filter(trust_links__trust__uid=value, trust_links__left_on=None).distinct()

    def by_ofsted(self, queryset, name, value):
        if value == "none":
            return queryset.filter(ofsted_rating="")
        if value == "Inadequate":
            return queryset.filter(ofsted_rating__in=INADEQUATE)
        return queryset.filter(ofsted_rating__iexact=value)

    def include_closed(self, queryset, name, value):
        return queryset  # applied in qs, so that unticked means "open schools only"
