"""Camtrap DP 1.0.2: the names, columns and id rules that the export and the import share."""

from __future__ import annotations

import pathlib
import uuid

VERSION = "1.0.2"
BASE = f"https://raw.githubusercontent.com/tdwg/camtrap-dp/{VERSION}/"
PROFILE = BASE + "camtrap-dp-profile.json"
# The standard's JSON schemas, kept in the repository (schemas/README.md: source, licence),
# so that a package is checked against them without a network.
SCHEMAS = pathlib.Path(__file__).resolve().parent / "schemas"
TABLES = ("deployments", "media", "observations")
NAMESPACE = uuid.UUID("5e0b7f2a-4f5c-4d8e-9a57-0c6d2f3e1a90")
MISSING = {"", "NA", "NaN", "nan"}

DEPLOYMENT_COLUMNS = [
    "deploymentID",
    "locationID",
    "locationName",
    "latitude",
    "longitude",
    "coordinateUncertainty",
    "deploymentStart",
    "deploymentEnd",
    "setupBy",
    "cameraID",
    "cameraModel",
    "cameraDelay",
    "cameraHeight",
    "cameraDepth",
    "cameraTilt",
    "cameraHeading",
    "detectionDistance",
    "timestampIssues",
    "baitUse",
    "featureType",
    "habitat",
    "deploymentGroups",
    "deploymentTags",
    "deploymentComments",
]
MEDIA_COLUMNS = [
    "mediaID",
    "deploymentID",
    "captureMethod",
    "timestamp",
    "filePath",
    "filePublic",
    "fileName",
    "fileMediatype",
    "exifData",
    "favorite",
    "mediaComments",
]
OBSERVATION_COLUMNS = [
    "observationID",
    "deploymentID",
    "mediaID",
    "eventID",
    "eventStart",
    "eventEnd",
    "observationLevel",
    "observationType",
    "cameraSetupType",
    "scientificName",
    "count",
    "lifeStage",
    "sex",
    "behavior",
    "individualID",
    "individualPositionRadius",
    "individualPositionAngle",
    "individualSpeed",
    "bboxX",
    "bboxY",
    "bboxWidth",
    "bboxHeight",
    "classificationMethod",
    "classifiedBy",
    "classificationTimestamp",
    "classificationProbability",
    "observationTags",
    "observationComments",
]
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/tiff": ".tif"}


def _record_id(package: str, kind: str, value: str) -> uuid.UUID:
    """Our own UUIDs come back as they were; others are derived from the package's id."""
    try:
        parsed = uuid.UUID(value)
        if str(parsed) == value.lower():
            return parsed
    except ValueError:
        pass
    return uuid.uuid5(NAMESPACE, f"{package}/{kind}/{value}")


def schema_file(url: str) -> pathlib.Path | None:
    """The in-repository copy of one of the standard's schemas named by ``url`` (the
    profile or a table schema of this version), or None for any other URL."""
    if not url.startswith(BASE):
        return None
    found = SCHEMAS / url[len(BASE) :]
    return (
        found if found.parent == SCHEMAS and found.suffix == ".json" and found.is_file() else None
    )
