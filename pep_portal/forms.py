import re

from django import forms

from .models import Partnership
from .partnership import split_codes

TEXT = {"class": "govuk-input"}
CODES = {"class": "govuk-input govuk-!-width-two-thirds", "spellcheck": "false", "autocomplete": "off"}


def clean_codes(text, field_label):
    codes = split_codes(text)
    for code in codes:
        if not re.fullmatch(r"\d{3}", code):
            raise forms.ValidationError(
                f"{field_label}: “{code}” is not a three-digit DfE local authority code (for example 936 for Surrey)"
            )
    if len(set(codes)) != len(codes):
        raise forms.ValidationError(f"{field_label}: each code once only")
    return ", ".join(codes)


class PartnershipForm(forms.ModelForm):
    website = forms.URLField(
        label="Website (optional)", required=False, assume_scheme="https",
        widget=forms.URLInput(attrs={**TEXT, "spellcheck": "false", "autocomplete": "url"}),
        error_messages={"invalid": "Enter a web address like https://www.example.org"},
    )

    class Meta:
        model = Partnership
        fields = ["name", "la_codes", "neighbour_la_codes", "address", "email", "phone", "website"]
        labels = {
            "name": "Partnership name",
            "la_codes": "Local authority codes",
            "neighbour_la_codes": "Statistical neighbours’ local authority codes (optional)",
            "address": "Office address (optional)",
            "email": "Office email address (optional)",
            "phone": "Office phone number (optional)",
        }
        help_texts = {
            "la_codes": "The DfE three-digit codes of the local authorities whose schools the partnership covers, "
                        "separated by commas, for example 936",
            "neighbour_la_codes": "Compared with the partnership in the strategy’s targets, for example 867, 868, 872",
        }
        widgets = {
            "name": forms.TextInput(attrs=TEXT),
            "la_codes": forms.TextInput(attrs=CODES),
            "neighbour_la_codes": forms.TextInput(attrs=CODES),
            "address": forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4, "autocomplete": "street-address"}),
            "email": forms.EmailInput(attrs={**TEXT, "spellcheck": "false", "autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20", "type": "tel",
                                            "autocomplete": "tel"}),
        }
        error_messages = {
            "name": {"required": "Enter the partnership’s name"},
            "la_codes": {"required": "Enter at least one local authority code, for example 936"},
            "email": {"invalid": "Enter an email address like office@example.org"},
        }

    def clean_la_codes(self):
        codes = clean_codes(self.cleaned_data["la_codes"], "Local authority codes")
        if not codes:
            raise forms.ValidationError("Enter at least one local authority code, for example 936")
        return codes

    def clean_neighbour_la_codes(self):
        return clean_codes(self.cleaned_data["neighbour_la_codes"], "Statistical neighbours")

    def clean(self):
        data = super().clean()
        own = set(split_codes(data.get("la_codes")))
        overlap = own & set(split_codes(data.get("neighbour_la_codes")))
        if overlap:
            self.add_error("neighbour_la_codes", f"Statistical neighbours: {', '.join(sorted(overlap))} is "
                                                 "already one of the partnership’s own local authorities")
        return data
