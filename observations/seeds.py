"""Load the reference data of seeds/ (protected areas, species) into the database.

Idempotent: every row is matched on its natural key (PA code, scientific
name) and updated in place, so running it twice changes nothing. Both nodes
load the same files, so reference data needs no sync.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import ProtectedArea, Species

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


def _read(name: str) -> list[dict]:
    with (SEEDS_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _upsert(model, lookup: dict, values: dict) -> tuple[object, bool, bool]:
    """update_or_create that also tells whether anything actually changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, False
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
    return obj, False, bool(changed)


def _species_values(row: dict) -> dict:
    target = row.get("programme_target") or {}
    return {
        "name_en": row["name_en"],
        "name_ru": row["name_ru"] or "",
        "name_zh": row["name_zh"] or "",
        "group": row["group"],
        "iucn_category": row.get("iucn_category") or "",
        "cites_appendix": row.get("cites_appendix") or "",
        "counting_unit": row.get("counting_unit") or Species.Unit.INDIVIDUALS,
        "allowed_units": row.get("allowed_units") or [],
        "allowed_evidence": row.get("allowed_evidence") or [],
        "sensitivity": row.get("sensitivity") or Species.Sensitivity.KM1,
        "jointly_monitored": bool(row.get("jointly_monitored")),
        "target_value": target.get("value"),
        "target_year": target.get("year"),
        "target_source": target.get("source", "") if target else "",
        "note": row.get("note") or "",
    }


def _pa_values(row: dict) -> dict:
    area = row.get("area_ha")
    return {
        "country": row["country"],
        "status": row.get("status") or ProtectedArea.Status.EXISTING,
        "name_en": row["name_en"],
        "name_ru": row.get("name_ru") or "",
        "name_zh": row.get("name_zh") or "",
        "designation": row.get("designation") or ProtectedArea.Designation.OTHER,
        "level": row.get("level_en") or "",
        "province": row.get("province_en") or "",
        "area_ha": Decimal(str(area)).quantize(Decimal("0.1")) if area is not None else None,
        "targets": row.get("targets_en") or "",
        "habitat": row.get("habitat_en") or "",
        "time_zone": row["time_zone"],
        "centroid_lat": row.get("centroid_lat"),
        "centroid_lon": row.get("centroid_lon"),
        "source": row.get("source") or "",
        "note": row.get("note") or "",
    }


@transaction.atomic
def load_seeds() -> dict[str, SeedResult]:
    species_result, pa_result = SeedResult(), SeedResult()
    species_by_name = {}
    for row in _read("species.json"):
        obj, created, changed = _upsert(
            Species, {"scientific_name": row["scientific_name"]}, _species_values(row)
        )
        species_by_name[obj.scientific_name] = obj
        species_result.count(created, changed)

    rows = _read("protected_areas.json")
    pas = {}
    for row in rows:
        obj, created, changed = _upsert(ProtectedArea, {"code": row["code"]}, _pa_values(row))
        wanted = {species_by_name[name].pk for name in row.get("jointly_monitored_species") or []}
        if set(obj.target_species.values_list("pk", flat=True)) != wanted:
            obj.target_species.set(wanted)
            changed = True
        pas[obj.code] = (obj, created, changed)

    # Partners are set once every PA exists, since a pair points both ways.
    for row in rows:
        obj, created, changed = pas[row["code"]]
        partner_code = row.get("transboundary_partner")
        partner_id = pas[partner_code][0].pk if partner_code else None
        if obj.transboundary_partner_id != partner_id:
            obj.transboundary_partner_id = partner_id
            obj.save(update_fields=["transboundary_partner"])
            changed = True
        pa_result.count(created, changed)
    return {"species": species_result, "protected_areas": pa_result}
