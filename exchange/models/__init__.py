"""What crosses the border: partner nodes, sharing agreements, the change feed, sync state."""

from .agreements import (
    Agreement,
    AgreementProposal,
    AgreementVersion,
    FreeText,
    MediaLevel,
    Precision,
)
from .datasets import Dataset, DatasetComment, DatasetReviewer, DatasetRow, DatasetVersion
from .exports import ExportJob
from .feed import SentPage, SentRecord
from .nodes import Node, UsedNonce
from .summaries import Summary
from .sync import ReceivedRecord, SyncState

__all__ = [
    "Agreement",
    "AgreementProposal",
    "AgreementVersion",
    "Dataset",
    "DatasetComment",
    "DatasetReviewer",
    "DatasetRow",
    "DatasetVersion",
    "ExportJob",
    "FreeText",
    "MediaLevel",
    "Node",
    "Precision",
    "ReceivedRecord",
    "SentPage",
    "SentRecord",
    "Summary",
    "SyncState",
    "UsedNonce",
]
