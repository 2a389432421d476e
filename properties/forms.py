"""Forms of the property register's admin."""

from __future__ import annotations

from django import forms

from .csv_upload import EMPTY_MESSAGE, CsvUploadError, decode_upload

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class PropertyImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="The property list exported from the housing system, saved as CSV (comma separated).",
        error_messages={
            "required": "Select a CSV file to upload.",
            "empty": EMPTY_MESSAGE,
        },
    )

    def clean_file(self) -> str:
        """Return the file's text, or say clearly why it cannot be imported."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV file (ending .csv).")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 100 MB.")
        try:
            return decode_upload(upload.read())
        except CsvUploadError as error:
            raise forms.ValidationError(str(error)) from error
