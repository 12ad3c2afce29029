"""An agreement's terms as plain data: stored with each version, shown to the partner."""

from observations.models import ProtectedArea, RecordStatus, Species

from .models import Agreement, MediaLevel, Precision


def agreement_terms(agreement: Agreement) -> dict:
    return {
        "species": sorted(agreement.species.values_list("scientific_name", flat=True)),
        "protected_areas": sorted(agreement.protected_areas.values_list("code", flat=True)),
        "statuses": sorted(agreement.statuses or ["verified"]),
        "embargo_days": agreement.embargo_days,
        "precision": dict(sorted((agreement.precision or {}).items())),
        "media_level": agreement.media_level,
        "licence": agreement.licence,
        "share_personal_data": agreement.share_personal_data,
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
    }


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")
