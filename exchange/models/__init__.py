"""What crosses the border: partner nodes, sharing agreements, the change feed, sync state."""

from .agreements import Agreement, AgreementVersion, MediaLevel, Precision
from .exports import ExportJob
from .feed import ChangeEntry, SentPage, SentRecord
from .nodes import Node, UsedNonce
from .sync import ReceivedRecord, SyncState

__all__ = [
    "Agreement",
    "AgreementVersion",
    "ChangeEntry",
    "ExportJob",
    "MediaLevel",
    "Node",
    "Precision",
    "ReceivedRecord",
    "SentPage",
    "SentRecord",
    "SyncState",
    "UsedNonce",
]
