"""API of camera traps: deployments, photos, sequences, relative abundance, Camtrap DP and
individual matches. Thin views over the camera services and selectors; permissions from
observations.access; their URL list is observations.camera.api_urls.

- ``/api/v1/deployments/``: a station's season (a "camera_trap" survey event + camera
  details); ``GET {id}/sequences/`` lists its bursts.
- ``/api/v1/media/``: ``POST`` (multipart: ``file``, ``deployment``, optional ``id`` and
  ``has_people``) stores one photo: 201 new, 200 already stored (same SHA-256), 400/413
  with ``{code, detail}`` when refused (``not_an_image``, ``truncated``,
  ``decompression_bomb``, ``polyglot``, ``corrupt_image``, ``empty_file``,
  ``file_too_large``); ``GET {id}/file/``, ``{id}/preview/``, ``{id}/thumbnail/``;
  ``POST {id}/people/`` and ``{id}/release/``.
- ``/api/v1/sequences/``: ``POST {id}/classify/`` with ``{"verdict": "empty"}``,
  ``{"verdict": "people"}`` or ``{"verdict": "animals", "seen": [{"species", "count",
  "individual" | "new_individual" + "new_individual_code"}]}``.
- ``/api/v1/abundance/?protected_area=CODE[&season=2024-winter]`` or ``?deployment=ID``:
  detections per 100 trap-nights, both ways of counting.
- ``/api/v1/camtrap-dp/``: ``POST`` a Camtrap DP package (zip) to import it;
  ``POST /api/v1/camtrap-dp/export/`` (``deployments`` or ``protected_area``,
  ``include_media``) answers the package as a zip.
- ``/api/v1/individual-matches/``: propose, ``POST {id}/confirm/``, ``POST {id}/reject/``,
  ``GET count/?species=...`` (animals, a confirmed match counted once).

Places: a station's exact position only for those who oversee its PA; others get it at
10 km (observations.disclosure), as for every survey event. EXIF GPS of photos likewise.
"""

from .abundance import AbundanceViewSet
from .camtrap import CamtrapViewSet, camtrap_response
from .deployments import DeploymentViewSet
from .matches import MatchViewSet
from .media import MediaViewSet
from .sequences import SequenceViewSet

__all__ = [
    "AbundanceViewSet",
    "CamtrapViewSet",
    "DeploymentViewSet",
    "MatchViewSet",
    "MediaViewSet",
    "SequenceViewSet",
    "camtrap_response",
]
