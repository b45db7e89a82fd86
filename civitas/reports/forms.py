"""The upload form of the import page."""

from typing import Any

from django import forms

from civitas.cities.models import City, Initiative
from civitas.reports.jobs import MAX_UPLOAD_BYTES
from civitas.stakeholders.imports import Importer


class ImportForm(forms.Form):
    """Choose what to import and the file to import it from."""

    kind = forms.ChoiceField(label="What the file holds")
    file = forms.FileField(
        label="File",
        help_text="CSV (UTF-8, comma or semicolon), Excel workbook (.xlsx) or JSON, at most "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.json"}),
    )
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.none(),
        required=False,
        label="Initiative (categorizations only)",
        help_text="Leave empty when the file has an “initiative” column.",
    )
    sheet = forms.CharField(
        required=False,
        max_length=100,
        label="Sheet (Excel only)",
        help_text="Leave empty to read the sheet named after what you import, or the first.",
    )

    def __init__(self, *args: Any, city: City, importers: list[Importer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.kind, i.label) for i in importers]  # type: ignore[attr-defined]
        self.fields["initiative"].queryset = Initiative.objects.filter(  # type: ignore[attr-defined]
            city=city, archived_at__isnull=True
        ).order_by("name")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        return upload
