"""The dataset form: the export form's query fields and what a dataset adds to them;
it parses, exchange.datasets.definition decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from observations.models import RecordStatus

from ..exports.forms import ExportForm
from ..models import Dataset, Precision


class DatasetForm(ExportForm):
    """The export form's query fields, and what a dataset adds to them."""

    format = None
    purpose = None  # a dataset is for its reviewers: its own precision says how exact
    title = forms.CharField(label=_("title"), max_length=300)
    description_en = forms.CharField(
        label=_("description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_ru = forms.CharField(
        label=_("description (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_zh = forms.CharField(
        label=_("description (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    precision = forms.ChoiceField(
        label=_("location precision"),
        choices=Precision.choices,
        initial=Precision.KM1,
        help_text=_(
            "The finest precision of the places in the dataset. Each species is never "
            "shown finer than its own sensitivity allows."
        ),
    )
    include_received = forms.BooleanField(
        label=_("include records received from the partner node"), required=False, initial=True
    )
    excluded_records = forms.CharField(
        label=_("records left out"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Record ids, one per line: the next versions leave them out."),
    )

    def values(self) -> dict:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "title",
                "description_en",
                "description_ru",
                "description_zh",
                "licence",
                "precision",
                "include_received",
            )
        }
        values["query"] = self.filters()
        values["excluded_records"] = data["excluded_records"].split()
        return values

    @classmethod
    def initial_of(cls, dataset: Dataset) -> dict:
        query = dataset.query or {}
        return {
            "title": dataset.title,
            "description_en": dataset.description_en,
            "description_ru": dataset.description_ru,
            "description_zh": dataset.description_zh,
            "licence": dataset.licence,
            "precision": dataset.precision,
            "include_received": dataset.include_received,
            "excluded_records": "\n".join(dataset.excluded_records or []),
            "species": query.get("species", []),
            "protected_areas": query.get("protected_areas", []),
            "country": query.get("country", ""),
            "observed_after": (query.get("observed_after") or "")[:10] or None,
            "observed_before": (query.get("observed_before") or "")[:10] or None,
            "status": query.get("status", list(RecordStatus.SHARED_BY_DEFAULT)),
            "campaign": query.get("campaign") or None,
        }
