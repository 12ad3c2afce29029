"""Camera-trap pages: deployments, photo upload, the classification page, Camtrap DP export
and import, and transboundary individual matches (their URL list: observations.camera.urls).

Thin, like the other pages: access from observations.access, reads from
observations.camera.selectors, work in the camera services, anything out of reach answers
404. The photos themselves are served by the API (``/api/v1/media/<id>/thumbnail/`` ...),
which decides what bytes a user gets.
"""

from .classify import classify_next, sequence_page
from .deployments import (
    camera_home,
    deployment_detail,
    deployment_edit,
    deployment_new,
    deployment_upload,
    media_people,
)
from .sharing import camtrap_export, camtrap_import, matches_page

__all__ = [
    "camera_home",
    "camtrap_export",
    "camtrap_import",
    "classify_next",
    "deployment_detail",
    "deployment_edit",
    "deployment_new",
    "deployment_upload",
    "matches_page",
    "media_people",
    "sequence_page",
]
