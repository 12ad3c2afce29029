from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from observations.models import ProtectedArea, RecordStatus, Species

from .models import MediaLevel, Precision


class AgreementForm(forms.Form):
    """The terms of what this node sends to one partner; one precision field per species."""

    species = forms.ModelMultipleChoiceField(
        label=_("Species"),
        queryset=Species.objects.filter(monitored=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    protected_areas = forms.ModelMultipleChoiceField(
        label=_("Protected areas (none ticked: all of this node's)"),
        queryset=ProtectedArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    statuses = forms.MultipleChoiceField(
        label=_("Record statuses"),
        choices=[
            (RecordStatus.VERIFIED, RecordStatus.VERIFIED.label),
            (RecordStatus.SUBMITTED, RecordStatus.SUBMITTED.label),
        ],
        initial=[RecordStatus.VERIFIED],
        widget=forms.CheckboxSelectMultiple,
    )
    embargo_days = forms.IntegerField(
        label=_("Embargo (days)"), min_value=0, max_value=3650, initial=0
    )
    media_level = forms.ChoiceField(label=_("Media"), choices=MediaLevel.choices)
    licence = forms.CharField(label=_("Licence"), max_length=100, initial="CC-BY-4.0")
    share_personal_data = forms.BooleanField(
        label=_("Share observer names (personal data)"), required=False
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protected_areas"].queryset = ProtectedArea.objects.filter(
            country=settings.NODE_CODE, status=ProtectedArea.Status.EXISTING
        )
        self.species_list = list(Species.objects.filter(monitored=True))
        for sp in self.species_list:
            self.fields[f"precision_{sp.pk}"] = forms.ChoiceField(
                label=sp.name, choices=Precision.choices, initial=sp.sensitivity
            )

    def precision_fields(self):
        return [self[f"precision_{sp.pk}"] for sp in self.species_list]

    def precision(self) -> dict:
        return {
            sp.scientific_name: self.cleaned_data[f"precision_{sp.pk}"]
            for sp in self.species_list
            if self.cleaned_data[f"precision_{sp.pk}"] != sp.sensitivity
        }
