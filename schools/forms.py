from django import forms
from django.conf import settings

from .imports.pipeline import kinds


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="File", help_text="A CSV or Excel (.xlsx) file as downloaded from the DfE, "
                           "GIAS or Ofsted.", widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload",
                                                                                     "accept": ".csv,.xlsx"}))
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
            (code, kind.label) for code, kind in kinds().items() if getattr(kind, "selectable", True)
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"{upload.name}: the file is {upload.size:,} bytes, over the limit of {settings.UPLOAD_MAX_BYTES:,}"
            )
        if upload.size == 0:
            raise forms.ValidationError(f"{upload.name}: the file is empty")
        return upload
