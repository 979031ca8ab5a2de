"""The hotline's records: the hotline and its standards, the roster, calls and callbacks, the
knowledge base, and quality sampling."""

from .calls import CallbackAttempt, CallbackTask, CallEvent, WorkOrder, WorkOrderEvent
from .hotline import Hotline, TelephonyClient
from .knowledge import Article, ArticleTerm
from .quality import CallReview, CallSample
from .roster import Leave, PoolMember, RosterEntry, Seat, Shift

__all__ = [
    "Article", "ArticleTerm", "CallEvent", "CallReview", "CallSample", "CallbackAttempt", "CallbackTask",
    "Hotline", "Leave", "PoolMember", "RosterEntry", "Seat", "Shift", "TelephonyClient", "WorkOrder",
    "WorkOrderEvent",
]
