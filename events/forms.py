"""The public booking form and the editors' event form (GOV.UK markup via governance's mixin)."""

from django import forms

from governance.forms import GovukFormMixin

from .models import Event


class BookingForm(GovukFormMixin, forms.Form):
    name = forms.CharField(max_length=150, error_messages={"required": "Enter your name"})
    email = forms.EmailField(
        label="Email address",
        help_text="We send a link to confirm the booking to this address.",
        error_messages={"required": "Enter your email address",
                        "invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    organisation = forms.CharField(
        max_length=200, required=False, label="School or organisation (optional)"
    )
    # The honeypot: hidden from people (and screen readers), filled in by form-filling robots.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_robot(self):
        return bool(self.cleaned_data.get("website"))


class EventForm(GovukFormMixin, forms.ModelForm):
    starts_at = forms.DateTimeField(
        label="Starts", help_text="Date and 24-hour time, for example 2027-03-04 09:30.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Enter when the event starts",
                        "invalid": "Enter the start as a date and time, for example 2027-03-04 09:30"},
    )
    ends_at = forms.DateTimeField(
        label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Enter when the event ends",
                        "invalid": "Enter the end as a date and time, for example 2027-03-04 16:00"},
    )
    booking_deadline = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Enter when booking closes",
                        "invalid": "Enter the booking deadline as a date and time, for example 2027-03-01 17:00"},
    )
    online_url = forms.URLField(required=False, assume_scheme="https", label="Online link (optional)")

    class Meta:
        model = Event
        fields = ["title", "kind", "starts_at", "ends_at", "place", "online_url", "summary", "description",
                  "capacity", "booking_deadline", "is_published"]

    def clean(self):
        data = super().clean()
        starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("booking_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must be after the start")
        if starts and deadline and deadline > starts:
            self.add_error("booking_deadline", "Booking must close before the event starts")
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", "Enter a place, an online link, or both")
        if data.get("capacity") == 0:
            self.add_error("capacity", "Enter how many places there are: at least 1")
        return data
