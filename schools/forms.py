from django import forms
from django.conf import settings

from .imports.pipeline import kinds


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files in one upload (Django's documented pattern); cleans to a list."""

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(item, initial) for item in data] if data else [one(None, initial)]
        return [one(data, initial)]


class ImportUploadForm(forms.Form):
    file = MultipleFileField(
        label="Files", help_text="One or more CSV or Excel (.xlsx) files as downloaded from GIAS, the DfE or Ofsted. "
        "Hold Ctrl (or Cmd) to choose several.",
        widget=MultipleFileInput(attrs={"class": "govuk-file-upload", "accept": ".csv,.xlsx"}),
        error_messages={"required": "Choose one or more files to import"})
    kind = forms.ChoiceField(label="Kind of file (optional)", required=False,
                             help_text="Leave as it is to recognise the kind from the file's columns and name.",
                             widget=forms.Select(attrs={"class": "govuk-select"}))
    year = forms.IntegerField(label="Academic year (optional)", required=False, min_value=2000, max_value=2100,
                              help_text="The year the figures are for, by its start: 2018 for 2018/19. "
                                        "Leave empty to read it from the file name.",
                              widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4",
                                                            "inputmode": "numeric"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Recognise it from the file")] + [
            (code, kind.label) for code, kind in kinds().items()
        ]

    def clean_file(self):
        uploads = self.cleaned_data["file"]
        for upload in uploads:
            if upload.size > settings.UPLOAD_MAX_BYTES:
                raise forms.ValidationError(
                    f"{upload.name}: the file is {upload.size:,} bytes, over the limit of "
                    f"{settings.UPLOAD_MAX_BYTES:,}"
                )
            if upload.size == 0:
                raise forms.ValidationError(f"{upload.name}: the file is empty")
        return uploads
