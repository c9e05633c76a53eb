"""Forms: an officer's best-fit priority, and an admin's edits to a draft rule set."""

import re

from django import forms

from . import ratings

INPUT = {"class": "govuk-input govuk-input--width-5"}
SELECT = {"class": "govuk-select"}


class OverrideForm(forms.Form):
    priority = forms.ChoiceField(
        label="Best-fit priority",
        choices=[("", "Choose a priority"), ("1", "Priority 1"), ("2", "Priority 2"), ("3", "Priority 3")],
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": "Choose a best-fit priority"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Why this priority fits the school better than the computed one. Shown wherever the priority is.",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={"required": "Enter the reason for the best-fit priority"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Enter a reason of at least 10 characters")
        return reason


class CopyForm(forms.Form):
    year = forms.IntegerField(
        label="Academic year it applies from",
        help_text="The year it starts, for example 2025 for 2025/26.",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"required": "Enter the academic year, for example 2025",
                        "min_value": "Enter a year from 2000", "max_value": "Enter a year up to 2100",
                        "invalid": "Enter the year as a number, for example 2025"},
    )


COMPARATORS = [
    (ratings.ComparatorKind.ENGLAND.value, "England, same year"),
    (ratings.ComparatorKind.LA.value, "The school's LA, same year"),
    (ratings.ComparatorKind.NEIGHBOURS.value, "Statistical neighbours (mean of their LA figures)"),
    (ratings.ComparatorKind.FIXED.value, "A fixed value"),
]


class RuleSetForm(forms.Form):
    """Edits the bands and thresholds of a draft rule set; fields per measure are added in __init__."""

    name = forms.CharField(label="Name", max_length=120, widget=forms.TextInput(attrs={"class": "govuk-input"}))
    notes = forms.CharField(label="Notes", required=False,
                            widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}))
    p1_red = forms.IntegerField(label="Priority 1 from this many red core measures", min_value=1, max_value=20,
                                widget=forms.NumberInput(attrs=INPUT))
    p2_red = forms.IntegerField(label="Priority 2 from this many red core measures", min_value=1, max_value=20,
                                widget=forms.NumberInput(attrs=INPUT))
    p2_amber = forms.IntegerField(label="Priority 2 from this many amber core measures", min_value=1, max_value=20,
                                  widget=forms.NumberInput(attrs=INPUT))
    trend_years = forms.IntegerField(label="Trend flag: years below the comparator running (0 for no flag)",
                                     min_value=0, max_value=10, widget=forms.NumberInput(attrs=INPUT))
    inspection_age_years = forms.IntegerField(label="Inspection age flag: more than this many years", min_value=1,
                                              max_value=20, widget=forms.NumberInput(attrs=INPUT))
    neighbours = forms.CharField(
        label="Statistical neighbours", required=False,
        help_text="Three-digit LA codes separated by commas or spaces, for example 851, 852.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds"}),
    )

    def __init__(self, *args, rule_set=None, labels=None, **kwargs):
        self.codes = [item["measure"] for item in rule_set.rules["rules"]] if rule_set else []
        labels = labels or {}
        if rule_set is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(rule_set)
        super().__init__(*args, **kwargs)
        for name in ("p1_red", "p2_red", "p2_amber", "trend_years", "inspection_age_years"):
            f = self.fields[name]
            what = f.label[0].lower() + f.label[1:]
            f.error_messages.update({
                "required": f"Enter a number for: {what}",
                "invalid": f"Enter a whole number for: {what}",
                "min_value": f"Enter {f.min_value} or more for: {what}",
                "max_value": f"Enter {f.max_value} or fewer for: {what}",
            })
        self.fields["name"].error_messages["required"] = "Enter a name for the rule set"
        self.labels = {code: labels.get(code, code) for code in self.codes}
        for code in self.codes:
            name = self.labels[code]
            number = {"invalid": f"Enter a number for {name}"}
            self.fields[f"{code}__comparator"] = forms.ChoiceField(
                label="Comparator", choices=COMPARATORS, widget=forms.Select(attrs=SELECT),
                error_messages={"required": f"Choose the comparator for {name}"})
            self.fields[f"{code}__fixed_value"] = forms.FloatField(
                label="Fixed value", required=False, widget=forms.NumberInput(attrs={**INPUT, "step": "any"}),
                error_messages=number)
            self.fields[f"{code}__amber_width"] = forms.FloatField(
                label="Amber width", min_value=0, widget=forms.NumberInput(attrs={**INPUT, "step": "any"}),
                error_messages={**number, "required": f"Enter the amber width for {name}",
                                "min_value": f"Enter an amber width of 0 or more for {name}"})
            self.fields[f"{code}__green_margin"] = forms.FloatField(
                label="Green margin", min_value=0, widget=forms.NumberInput(attrs={**INPUT, "step": "any"}),
                error_messages={**number, "required": f"Enter the green margin for {name} (0 for none)",
                                "min_value": f"Enter a green margin of 0 or more for {name}"})
            self.fields[f"{code}__min_cohort"] = forms.IntegerField(
                label="Smallest cohort rated", min_value=0, max_value=1000, widget=forms.NumberInput(attrs=INPUT),
                error_messages={"invalid": f"Enter a whole number of pupils for {name}",
                                "required": f"Enter the smallest cohort rated for {name}",
                                "min_value": f"Enter a cohort of 0 or more for {name}",
                                "max_value": f"Enter a cohort of 1000 or fewer for {name}"})

    def measure_rows(self):
        return [{"code": code, "label": self.labels[code], "fields": [self[f"{code}__{name}"] for name in
                                          ("comparator", "fixed_value", "amber_width", "green_margin", "min_cohort")]}
                for code in self.codes]

    def clean_neighbours(self):
        text = self.cleaned_data.get("neighbours", "")
        codes = [c for c in re.split(r"[\s,;]+", text.strip()) if c]
        bad = [c for c in codes if not re.fullmatch(r"\d{3}", c)]
        if bad:
            raise forms.ValidationError(f"Enter LA codes as three digits, for example 851 (not {', '.join(bad)})")
        return codes

    def clean(self):
        cleaned = super().clean()
        for code in self.codes:
            comparator = cleaned.get(f"{code}__comparator")
            if comparator == ratings.ComparatorKind.FIXED and cleaned.get(f"{code}__fixed_value") is None:
                self.add_error(f"{code}__fixed_value", f"Enter the fixed value {self.labels[code]} is compared with")
            if comparator == ratings.ComparatorKind.NEIGHBOURS and not cleaned.get("neighbours"):
                self.add_error("neighbours", "Enter the statistical neighbours, or choose another comparator")
        return cleaned

    def rules_data(self, stored):
        """The stored rules with this form's edits applied (measures keep their phases and core flag)."""
        data = self.cleaned_data
        rules = []
        for item in stored["rules"]:
            code = item["measure"]
            comparator = data[f"{code}__comparator"]
            rules.append({
                **item,
                "comparator": comparator,
                "fixed_value": data[f"{code}__fixed_value"] if comparator == ratings.ComparatorKind.FIXED else None,
                "amber_width": data[f"{code}__amber_width"],
                "green_margin": data[f"{code}__green_margin"],
                "min_cohort": data[f"{code}__min_cohort"],
            })
        return {
            **stored,
            "rules": rules,
            "thresholds": {"p1_red": data["p1_red"], "p2_red": data["p2_red"], "p2_amber": data["p2_amber"]},
            "trend_years": data["trend_years"],
            "inspection_age_years": data["inspection_age_years"],
            "neighbours": data["neighbours"],
        }


def initial_from(rule_set):
    data = rule_set.rules
    initial = {
        "name": rule_set.name,
        "notes": rule_set.notes,
        **data["thresholds"],
        "trend_years": data["trend_years"],
        "inspection_age_years": data["inspection_age_years"],
        "neighbours": ", ".join(data.get("neighbours", [])),
    }
    for item in data["rules"]:
        code = item["measure"]
        initial.update({
            f"{code}__comparator": item["comparator"],
            f"{code}__fixed_value": item.get("fixed_value"),
            f"{code}__amber_width": item["amber_width"],
            f"{code}__green_margin": item.get("green_margin", 0),
            f"{code}__min_cohort": item.get("min_cohort", 11),
        })
    return initial
