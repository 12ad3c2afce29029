"""The field-record domain: the nouns of DESIGN.md."""

from .base import Country, SourceRecord, localized
from .camera import Classification, Deployment, IndividualMatch, Media, Sequence
from .census import CensusCampaign, CensusCount, CensusMethod, CountStatus, DoubleCountFlag
from .feed import ChangeEntry
from .imports import ImportJob
from .individuals import Individual, IndividualCode
from .membership import Membership, Role
from .places import ProtectedArea
from .records import Evidence, Observation, RecordStatus, SurveyEvent
from .remarks import Remark
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
