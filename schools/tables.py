"""The public school and trust directories (django-tables2), rendered with GOV.UK table markup."""

import django_tables2 as tables
from django.utils.html import format_html

from .models import School


class SchoolTable(tables.Table):
    name = tables.Column(verbose_name="School", linkify=False)
    urn = tables.Column(verbose_name="URN")
    phase = tables.Column(verbose_name="Phase")
    type_name = tables.Column(verbose_name="Type")
    governance = tables.Column(verbose_name="Governance")
    trust = tables.Column(verbose_name="Trust", empty_values=(), orderable=False)
    pupils = tables.Column(verbose_name="Pupils", attrs={"td": {"class": "govuk-table__cell--numeric"},
                                                         "th": {"class": "govuk-table__header--numeric"}})
    ofsted_rating = tables.Column(verbose_name="Ofsted", order_by=("ofsted_rating", "name"))

    class Meta:
        model = School
        fields = ("name", "urn", "phase", "type_name", "governance", "trust", "pupils", "ofsted_rating")
        order_by = ("name",)
        orderable = True
        empty_text = "No schools match these filters."

    def render_name(self, record):
        return format_html('<a class="govuk-link" href="{}">{}</a>', record.get_absolute_url(), record.name)

    def render_trust(self, record):
        trust = record.current_trust
        if trust is None:
            return "None"
        return format_html('<a class="govuk-link" href="{}">{}</a>', trust.get_absolute_url(), trust.name)

    def render_pupils(self, value):
        return f"{value:,}"

    def value_trust(self, record):
        trust = record.current_trust
        return trust.name if trust else ""
