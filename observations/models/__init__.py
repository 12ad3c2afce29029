"""The field-record domain: the nouns of DESIGN.md."""

from .base import Country, SourceRecord, localized
from .individuals import Individual, IndividualCode
from .membership import Membership, Role
from .places import ProtectedArea
from .records import Evidence, Observation, RecordStatus, SurveyEvent
from .species import Species

__all__ = [
    "Country",
    "Evidence",
    "Individual",
    "IndividualCode",
    "Membership",
    "Observation",
    "ProtectedArea",
    "RecordStatus",
    "Role",
    "SourceRecord",
    "Species",
    "SurveyEvent",
    "localized",
]
