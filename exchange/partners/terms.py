"""An agreement's terms as plain data: stored with each version, shown to the partner,
and proposed by the partner's coordinators (exchange.partners.agreements.agreement_propose)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observations.errors import DomainError
from observations.models import ProtectedArea, RecordStatus, Species

from ..models import Agreement, FreeText, MediaLevel, Precision

# The statuses an agreement may share (the form offers the same two).
SHAREABLE_STATUSES = (RecordStatus.VERIFIED, RecordStatus.SUBMITTED)

# Each term by the name the pages give it (exchange/_terms.html), in the terms' order.
TERM_LABELS = {
    "species": gettext_lazy("Species"),
    "protected_areas": gettext_lazy("Protected areas"),
    "statuses": gettext_lazy("Record statuses"),
    "embargo_days": gettext_lazy("Embargo (days)"),
    "precision": gettext_lazy("Location precision"),
    "media_level": gettext_lazy("Media"),
    "licence": gettext_lazy("Licence"),
    "share_personal_data": gettext_lazy("Observer names"),
    "free_text": gettext_lazy("Free text"),
    "active": gettext_lazy("Active"),
}


def agreement_terms(agreement: Agreement) -> dict:
    return {
        "species": sorted(agreement.species.values_list("scientific_name", flat=True)),
        "protected_areas": sorted(agreement.protected_areas.values_list("code", flat=True)),
        "statuses": sorted(agreement.statuses or RecordStatus.SHARED_BY_DEFAULT),
        "embargo_days": agreement.embargo_days,
        "precision": dict(sorted((agreement.precision or {}).items())),
        "media_level": agreement.media_level,
        "licence": agreement.licence,
        "share_personal_data": agreement.share_personal_data,
        "free_text": agreement.free_text,
        "active": agreement.active,
    }


def terms_shown(terms: dict) -> dict:
    """The terms (ours, or the partner's as its node sent them) as the page shows them, in
    the reader's language: species and PAs by name, statuses, precisions and the media
    level by their labels. A code this node does not know is shown as it came."""
    named = [*(terms.get("species") or []), *(terms.get("precision") or {})]
    names = {
        sp.scientific_name: sp.name for sp in Species.objects.filter(scientific_name__in=named)
    }
    pas = {
        pa.code: pa.name
        for pa in ProtectedArea.objects.filter(code__in=terms.get("protected_areas") or [])
    }
    return {
        **terms,
        "species": [names.get(name, name) for name in terms.get("species") or []],
        "protected_areas": [pas.get(code, code) for code in terms.get("protected_areas") or []],
        "statuses": [_label(RecordStatus, s) for s in terms.get("statuses") or []],
        "precision": {
            names.get(name, name): _label(Precision, value)
            for name, value in (terms.get("precision") or {}).items()
        },
        "media_level": _label(MediaLevel, terms.get("media_level")),
        "free_text": _label(FreeText, terms.get("free_text")),
    }


def terms_changed(before: dict | None, after: dict) -> list[str]:
    """The names of the terms that ``after`` (a proposal) changes from ``before`` (what is
    agreed now; None: no agreement yet, so every term is new)."""
    before = before or {}
    return [str(label) for key, label in TERM_LABELS.items() if before.get(key) != after.get(key)]


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def clean_terms(terms) -> dict:
    """Proposed terms checked and put in the shape of ``agreement_terms``, or a DomainError.

    A proposal is kept as plain data until a local coordinator accepts it, so it is checked
    when it is made: the species and PAs must be known here (PAs: this node's own), and
    every choice one this node offers."""
    if not isinstance(terms, dict) or not _names(terms, "species", "protected_areas"):
        raise DomainError(_("The terms are a JSON object."), "bad_terms")
    precision = terms.get("precision") or {}
    if not isinstance(precision, dict) or not all(isinstance(k, str) for k in precision):
        raise DomainError(_("The terms are a JSON object."), "bad_terms")
    species = sorted(set(terms.get("species") or []))
    precision = dict(sorted((terms.get("precision") or {}).items()))
    known = set(
        Species.objects.filter(scientific_name__in=[*species, *precision]).values_list(
            "scientific_name", flat=True
        )
    )
    unknown = sorted({*species, *precision} - known)
    if unknown:
        raise DomainError(
            _("Unknown species: %(names)s.") % {"names": ", ".join(unknown)},
            "unknown_species",
            field="species",
        )
    pas = sorted(set(terms.get("protected_areas") or []))
    own = set(
        ProtectedArea.objects.filter(code__in=pas, country=settings.NODE_CODE).values_list(
            "code", flat=True
        )
    )
    if set(pas) - own:
        raise DomainError(
            _("Not a protected area of this node: %(codes)s.")
            % {"codes": ", ".join(sorted(set(pas) - own))},
            "unknown_protected_area",
            field="protected_areas",
        )
    statuses = sorted(set(terms.get("statuses") or RecordStatus.SHARED_BY_DEFAULT))
    if set(statuses) - set(SHAREABLE_STATUSES):
        raise DomainError(
            _("An agreement shares verified or submitted records only."),
            "bad_status",
            field="statuses",
        )
    embargo = terms.get("embargo_days", 0)
    if not isinstance(embargo, int) or isinstance(embargo, bool) or not 0 <= embargo <= 3650:
        raise DomainError(
            _("The embargo is a number of days from 0 to 3650."),
            "bad_embargo",
            field="embargo_days",
        )
    for field, choices in (
        ("precision", Precision),
        ("media_level", MediaLevel),
        ("free_text", FreeText),
    ):
        values = precision.values() if field == "precision" else [terms.get(field)]
        if any(value not in choices.values for value in values):
            raise DomainError(
                _("Unknown value: %(values)s. Choose %(known)s.")
                % {"values": ", ".join(map(str, values)), "known": ", ".join(choices.values)},
                "bad_choice",
                field=field,
            )
    licence = str(terms.get("licence") or "").strip()
    if not licence or len(licence) > 100:
        raise DomainError(_("Give a licence (100 characters at most)."), "bad_licence")
    return {
        "species": species,
        "protected_areas": pas,
        "statuses": statuses,
        "embargo_days": embargo,
        "precision": precision,
        "media_level": terms["media_level"],
        "licence": licence,
        "share_personal_data": bool(terms.get("share_personal_data", False)),
        "free_text": terms["free_text"],
        "active": bool(terms.get("active", True)),
    }


def _names(terms: dict, *keys: str) -> bool:
    """Each of ``keys`` is absent or a list of names (text)."""
    values = [terms.get(key) or [] for key in keys]
    return all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in values)


def terms_arguments(terms: dict) -> dict:
    """Checked terms (``clean_terms``) as the arguments of agreement_save."""
    terms = clean_terms(terms)
    return {
        "species": list(Species.objects.filter(scientific_name__in=terms["species"])),
        "protected_areas": list(ProtectedArea.objects.filter(code__in=terms["protected_areas"])),
        **{key: value for key, value in terms.items() if key not in ("species", "protected_areas")},
    }
