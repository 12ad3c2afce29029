"""What leaves this node, and how precisely: the one disclosure policy (``policy``), the
grid that snaps a point to a precision (``grid``) and the redaction of free text
(``text``). Ground floor: the record domain and everything above it import this package;
it imports nothing from exchange."""

from .grid import CELL_DEGREES, EXACT, KM1, KM10, ORDER, PA_ONLY, Place, coarser, coarsest
from .policy import (
    PUBLIC,
    Audience,
    PartnerAudience,
    PublicAudience,
    Text,
    UserAudience,
    for_user,
)

__all__ = [
    "CELL_DEGREES",
    "EXACT",
    "KM1",
    "KM10",
    "ORDER",
    "PA_ONLY",
    "PUBLIC",
    "Audience",
    "PartnerAudience",
    "Place",
    "PublicAudience",
    "Text",
    "UserAudience",
    "coarser",
    "coarsest",
    "for_user",
]
