"""Forms for the support pages: plan assignment, a note of visit with next steps, replies, closing,
peer-review rounds and offers of support. Rendered with GOV.UK markup in the templates."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from pep_portal.roles import Role
from schools.models import School

DATE = {"class": "govuk-input govuk-input--width-10", "type": "date"}
TEXTAREA = {"class": "govuk-textarea", "rows": 5}
SELECT = {"class": "govuk-select"}
INPUT = {"class": "govuk-input"}


def staff_choices():
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=[Role.LA_OFFICER, Role.PARTNERSHIP_ADMIN]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email or user.username


class PlanForm(forms.Form):
    adviser = UserChoice(label="Adviser", queryset=None, required=False, empty_label="No adviser yet",
                         widget=forms.Select(attrs=SELECT),
                         help_text="Leads the visits. New planned visits are given to them.")
    supporting_school = forms.ModelChoiceField(
        label="Supporting school", queryset=None, required=False, empty_label="None",
        widget=forms.Select(attrs=SELECT), help_text="A school brokered to support this one.",
    )
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = staff_choices()
        qs = School.objects.partnership().open().order_by("name")
        if school is not None:
            qs = qs.exclude(pk=school.pk)
        self.fields["supporting_school"].queryset = qs


class ExtraVisitForm(forms.Form):
    planned_date = forms.DateField(label="Date of the visit", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                   error_messages={"required": "Enter the date of the visit",
                                                   "invalid": "Enter a real date, for example 2026-01-15"})


class VisitRecordForm(forms.Form):
    done_date = forms.DateField(label="Date of the visit", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                error_messages={"required": "Enter the date the visit took place",
                                                "invalid": "Enter a real date, for example 2026-01-15"})
    visitor = UserChoice(label="Visited by", queryset=None, required=False, empty_label="Choose who visited",
                         widget=forms.Select(attrs=SELECT))
    met_with = forms.CharField(label="Met with", required=False, max_length=300, widget=forms.TextInput(attrs=INPUT),
                               help_text="For example: headteacher, chair of governors, English lead.")
    focus = forms.MultipleChoiceField(label="Focus areas", required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text="The school's red measures are listed first.")
    findings = forms.CharField(label="Findings", max_length=20000, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 8}),
                               error_messages={"required": "Enter what the visit found"})

    def __init__(self, *args, focus_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = staff_choices()
        self.fields["focus"].choices = list(focus_choices)

    def clean_findings(self):
        text = self.cleaned_data["findings"].strip()
        if len(text) < 10:
            raise forms.ValidationError("Enter the findings in at least 10 characters")
        return text


class NextStepForm(forms.Form):
    """One agreed next step; a row left empty is ignored."""

    action = forms.CharField(label="Next step", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 2}))
    owner = forms.CharField(label="Owner", required=False, max_length=200,
                            widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}))
    due_date = forms.DateField(label="Due by", required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                               error_messages={"invalid": "Enter a real date, for example 2026-01-15"})

    def clean(self):
        data = super().clean()
        if data.get("action"):
            if not data.get("owner"):
                self.add_error("owner", "Enter who owns this next step")
            if not data.get("due_date") and "due_date" not in self.errors:
                self.add_error("due_date", "Enter the date this next step is due")
        elif data.get("owner") or data.get("due_date"):
            self.add_error("action", "Enter the next step, or clear its owner and date")
        return data


NextStepFormSet = forms.formset_factory(NextStepForm, extra=3, max_num=10)


class ReplyForm(forms.Form):
    explanation = forms.CharField(
        label="Explanation", required=False, max_length=10000, widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What lies behind the figures, for example a small or unusual cohort.",
    )
    action = forms.CharField(
        label="Action the school is taking", required=False, max_length=10000, widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What the school is doing about it, and by when.",
    )

    def clean(self):
        data = super().clean()
        data["explanation"] = (data.get("explanation") or "").strip()
        data["action"] = (data.get("action") or "").strip()
        if not data["explanation"] and not data["action"]:
            self.add_error("explanation", "Enter an explanation, an action, or both")
        return data


class CloseForm(forms.Form):
    outcome = forms.CharField(label="Outcome", max_length=5000, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 3}),
                              help_text="Why the question can be closed, for example the explanation is accepted.",
                              error_messages={"required": "Enter the outcome before closing the question"})


class PeerRoundForm(forms.Form):
    date = forms.DateField(label="Date of the round", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                           error_messages={"required": "Enter the date of the peer-review round",
                                           "invalid": "Enter a real date, for example 2026-01-15"})
    schools_reviewed = forms.ModelMultipleChoiceField(label="Schools reviewed", queryset=None,
                                                      widget=forms.CheckboxSelectMultiple,
                                                      error_messages={"required": "Choose at least one school reviewed"})
    notes = forms.CharField(label="Notes", required=False, max_length=20000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, cluster=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools_reviewed"].queryset = cluster.schools.order_by("name")


class OfferForm(forms.Form):
    school = forms.ModelChoiceField(label="School", queryset=None, empty_label="Choose a school",
                                    widget=forms.Select(attrs=SELECT),
                                    error_messages={"required": "Choose the school that offers support"})
    measure_code = forms.ChoiceField(label="Area", required=False, widget=forms.Select(attrs=SELECT))
    note = forms.CharField(label="Note", required=False, max_length=300, widget=forms.TextInput(attrs=INPUT))

    def __init__(self, *args, measures=(), schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools if schools is not None else (
            School.objects.partnership().open().order_by("name"))
        self.fields["measure_code"].choices = [("", "Any area")] + list(measures)
