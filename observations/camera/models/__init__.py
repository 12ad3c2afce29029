"""The camera-trap models: deployments (stations), their photos, sequences,
classifications, and the matches that say two catalogue codes are one animal.

They belong to the ``observations`` app (same app label, same tables): re-exported by
observations.models, so ``from observations.models import Media`` is the usual import.
"""

from .classifications import Classification
from .deployments import Deployment
from .matches import IndividualMatch
from .media import Media, Sequence

__all__ = ["Classification", "Deployment", "IndividualMatch", "Media", "Sequence"]
