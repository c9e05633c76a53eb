"""Editors' and subscribers' forms, rendered with GOV.UK markup by templates/governance/_field.html."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from governance.forms import GovukFormMixin

from .images import check_image
from .models import RESERVED_SLUGS, Bulletin, NewsPost


class NewsPostForm(GovukFormMixin, forms.ModelForm):
    publish_on = forms.DateField(
        required=False,
        label="Publish date (optional)",
        help_text="Leave blank to publish when you press Publish. A later date keeps the post hidden until then.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the publish date as a real date, for example 2026-12-03"},
    )
    # Declared here, not adjusted in __init__: GovukFormMixin validates a bound form as it is built.
    slug = forms.SlugField(
        required=False,
        max_length=100,
        label="Address (optional)",
        help_text="Letters, numbers and hyphens: /news/<address>/. Left blank, it is made from the title.",
        error_messages={"invalid": "Use only letters, numbers and hyphens in the address"},
    )
    image = forms.FileField(required=False, label="Image (optional)", help_text="PNG, JPEG, GIF or WebP, up to 5 MB.")
    remove_image = forms.BooleanField(required=False, label="Remove the current image")

    class Meta:
        model = NewsPost
        fields = ["title", "slug", "summary", "body", "image_alt", "tags"]
        labels = {
            "title": "Title",
            "summary": "Summary",
            "body": "Post (Markdown)",
            "image_alt": "Image description (alt text)",
            "tags": "Tags (optional)",
        }
        help_texts = {
            "image_alt": "What the image shows, for people who cannot see it. Needed when there is an image.",
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "summary": {"required": "Enter a summary of one or two sentences"},
            "body": {"required": "Write the post"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["rows"] = 14
        if self.instance.published_at:
            self.initial["publish_on"] = timezone.localtime(self.instance.published_at).date()
        self.order_fields(["title", "slug", "summary", "body", "image", "remove_image", "image_alt", "tags"])

    def clean_slug(self):
        title = self.cleaned_data.get("title")
        slug = self.cleaned_data.get("slug") or slugify(title or "")[:100]
        if not slug:
            if not title:
                return ""  # the missing title is the problem to report, not the address made from it
            raise forms.ValidationError("Enter an address made of letters, numbers and hyphens")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"“{slug}” is used by the portal's own addresses; choose another")
        if NewsPost.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another post already has this address; choose another")
        return slug

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            self.image_ext = check_image(upload)
        return upload

    def clean(self):
        data = super().clean()
        keeps_image = bool(data.get("image")) or (bool(self.instance.image) and not data.get("remove_image"))
        if keeps_image and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", "Describe the image for people who cannot see it")
        return data

    def publish_at(self):
        day = self.cleaned_data.get("publish_on")
        if day is None:
            return None
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 0)))


class BulletinForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = ["subject", "body"]
        labels = {"subject": "Subject", "body": "Bulletin (Markdown)"}
        help_texts = {
            "body": "Pre-filled from recent news, coming events, coming meetings and newly published minutes. Edit freely: "
            "“## Heading” for a heading, “- ” for a list item, [text](address) for a link.",
        }
        error_messages = {"subject": {"required": "Enter a subject"}, "body": {"required": "Write the bulletin"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["rows"] = 22


class SendForm(GovukFormMixin, forms.Form):
    when = forms.ChoiceField(
        choices=[("now", "Send now"), ("later", "Send at a set time")],
        widget=forms.RadioSelect,
        label="When to send it",
        error_messages={"required": "Choose when to send the bulletin"},
    )
    date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the date as a real date, for example 2026-12-03"},
    )
    time = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="24-hour clock, UK time.",
        error_messages={"invalid": "Enter the time as hours and minutes, for example 08:00"},
    )

    def clean(self):
        data = super().clean()
        if data.get("when") != "later":
            data["send_at"] = None
            return data
        if not data.get("date"):
            self.add_error("date", "Enter the date to send the bulletin")
        if not data.get("time"):
            self.add_error("time", "Enter the time to send the bulletin")
        if data.get("date") and data.get("time"):
            send_at = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
            if send_at <= timezone.now():
                self.add_error("date", "The time to send must be in the future")
            data["send_at"] = send_at
        return data


class SubscribeForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    # A honeypot: hidden from people (and from assistive technology), filled in by form-filling bots.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))
