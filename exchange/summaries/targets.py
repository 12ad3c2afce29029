"""The programme's targets, only where the source documents give them.

The one target in the documents is Goal 3 of the AHEC Strategic Plan 2021-2026
(/work/shared/seeds/004_...: "By 2026 the global populations of Amur tiger and leopard
increase to 640 and 130 respectively"). seeds/species.json carries it as each species'
``programme_target`` (value, year, scope, source), and ``load_seeds`` loads value, year and
source into the Species row; the scope ("global population": the target is for the whole
population, not for the PAs a summary covers) is read from the same seed file, so that a
summary never sets a PA's count beside a global goal without saying so.
"""

from __future__ import annotations

import json
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from observations.seeds import SEEDS_DIR

# The scopes the seed file uses, as people read them.
SCOPES = {"global population": _("global population")}


@lru_cache(maxsize=1)
def _seed_scopes() -> dict[str, str]:
    try:
        rows = json.loads((SEEDS_DIR / "species.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        row["scientific_name"]: (row.get("programme_target") or {}).get("scope") or ""
        for row in rows
    }


def target_of(species) -> dict | None:
    """``{"value", "year", "source", "scope"}`` of the species' programme target, or None."""
    if species.target_value is None:
        return None
    return {
        "value": species.target_value,
        "year": species.target_year,
        "source": species.target_source,
        "scope": _seed_scopes().get(species.scientific_name, ""),
    }


def scope_label(scope: str) -> str:
    return str(SCOPES.get(scope, scope))
