"""The agreement forms: they parse the terms a coordinator ticks; exchange.partners.agreements
decides."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from observations.models import ProtectedArea, RecordStatus, Species

from ..models import FreeText, MediaLevel, Precision


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
        initial=list(RecordStatus.SHARED_BY_DEFAULT),
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
    free_text = forms.ChoiceField(
        label=_("Free text (notes, remarks, station names)"),
        choices=FreeText.choices,
        initial=FreeText.WITHHOLD,
        required=False,
        help_text=_(
            "Notes can give a place or a person away: withheld for species whose places are "
            "generalised unless a redaction pass takes out coordinates and people's names."
        ),
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

    def clean_free_text(self) -> str:
        """Left out (an older form, a script): the cautious default."""
        return self.cleaned_data.get("free_text") or FreeText.WITHHOLD

    def precision_fields(self):
        return [self[f"precision_{sp.pk}"] for sp in self.species_list]

    def precision(self) -> dict:
        return {
            sp.scientific_name: self.cleaned_data[f"precision_{sp.pk}"]
            for sp in self.species_list
            if self.cleaned_data[f"precision_{sp.pk}"] != sp.sensitivity
        }

    def arguments(self) -> dict:
        """The cleaned terms as the arguments of exchange.partners.agreements.agreement_save."""
        data = self.cleaned_data
        return {
            "species": list(data["species"]),
            "protected_areas": list(data["protected_areas"]),
            "statuses": data["statuses"],
            "embargo_days": data["embargo_days"],
            "precision": self.precision(),
            "media_level": data["media_level"],
            "licence": data["licence"],
            "share_personal_data": data["share_personal_data"],
            "free_text": data["free_text"],
            "active": data["active"],
        }

    def terms(self) -> dict:
        """The cleaned terms as plain data, in the shape of
        exchange.partners.terms.agreement_terms."""
        arguments = self.arguments()
        return {
            **arguments,
            "species": sorted(sp.scientific_name for sp in arguments["species"]),
            "protected_areas": sorted(pa.code for pa in arguments["protected_areas"]),
        }

    @classmethod
    def initial_from(cls, terms: dict | None) -> dict:
        """Initial values from terms (``agreement_terms`` or a proposal's), for a form that
        starts from what is agreed now."""
        if not terms:
            return {}
        return {
            "species": Species.objects.filter(scientific_name__in=terms.get("species") or []),
            "protected_areas": ProtectedArea.objects.filter(
                code__in=terms.get("protected_areas") or []
            ),
            **{
                key: terms[key]
                for key in (
                    "statuses",
                    "embargo_days",
                    "media_level",
                    "licence",
                    "share_personal_data",
                    "free_text",
                    "active",
                )
                if key in terms
            },
        }

    def set_precision_initial(self, precision: dict) -> None:
        by_name = {sp.scientific_name: sp.pk for sp in self.species_list}
        for name, value in (precision or {}).items():
            if name in by_name:
                self.fields[f"precision_{by_name[name]}"].initial = value


class AgreementProposalForm(AgreementForm):
    """New terms proposed by the partner's coordinator, with a word to the local ones."""

    message = forms.CharField(
        label=_("Message to this node's coordinators"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


class ProposalDecisionForm(forms.Form):
    """Accepting or declining a proposed change; a decline says why."""

    note = forms.CharField(
        label=_("Note to the partner's coordinators"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
