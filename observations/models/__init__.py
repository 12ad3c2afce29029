"""The field-record domain: the nouns of DESIGN.md."""

# Feature packages keep their models beside their code; imported here, last, so that
# Django finds them with the app's models and ``from observations.models import`` works.
from observations.camera.models import (
    Classification,
    Deployment,
    IndividualMatch,
    Media,
    Sequence,
)
from observations.census.models import (
    CensusCampaign,
    CensusCount,
    CensusMethod,
    CountStatus,
    DoubleCountFlag,
    ParticipationState,
)
from observations.remarks.models import Remark

from .base import Country, SourceRecord, localized
from .feed import ChangeEntry
from .imports import ImportJob
from .individuals import Individual, IndividualCode
from .membership import Membership, Role
from .places import ProtectedArea
from .records import Evidence, Observation, RecordStatus, SurveyEvent
from .species import Species

__all__ = [
    "CensusCampaign",
    "CensusCount",
    "CensusMethod",
    "ChangeEntry",
    "Classification",
    "CountStatus",
    "Deployment",
    "DoubleCountFlag",
    "Country",
    "Evidence",
    "ImportJob",
    "Individual",
    "IndividualCode",
    "IndividualMatch",
    "Media",
    "Membership",
    "Observation",
    "ParticipationState",
    "ProtectedArea",
    "RecordStatus",
    "Remark",
    "Role",
    "Sequence",
    "SourceRecord",
    "Species",
    "SurveyEvent",
    "localized",
]
