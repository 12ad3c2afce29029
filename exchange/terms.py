"""An agreement's terms as plain data: stored with each version, shown to the partner."""

from .models import Agreement


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
