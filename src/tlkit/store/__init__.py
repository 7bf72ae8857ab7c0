"""Saved state: small records kept between reloads, through one store.

Widgets keep their state as records (tlkit.store.records) in a Store (tlkit.store.base);
`default_store()` is the JSON file store in the state folder (TLKIT_STATE_DIR).
"""


from tlkit.settings import state_dir
from tlkit.store.base import RecordSetAside, Store, StoreUnavailable, Updated
from tlkit.store.json_files import JsonFileStore
from tlkit.store.records import (CalibrationRecord, FeedbackSortRecord, ObservationRecord,
                                 PaceRecord, Record, RecordError, RunnerRecord,
                                 SelfAssessmentRecord, SessionAuditRecord, ExplorerRecord)
from tlkit.store.records import PortfolioRecord, ReadinessRecord
from tlkit.store.keeper import Keeper
from tlkit.store.records import LiveJoinRecord

__all__ = ["CalibrationRecord", "ExplorerRecord", "FeedbackSortRecord", "JsonFileStore",
           "ObservationRecord", "PaceRecord", "Record", "RecordError", "RecordSetAside",
           "RunnerRecord", "SelfAssessmentRecord", "SessionAuditRecord", "Store",
           "StoreUnavailable", "Updated", "default_store"]
__all__ += ["PortfolioRecord", "ReadinessRecord"]
__all__ += ["Keeper"]
__all__ += ["LiveJoinRecord"]
from tlkit.store.records import CoachingLogRecord, QuestionWorkshopRecord, TeachBackRecord

__all__ += ["CoachingLogRecord", "QuestionWorkshopRecord", "TeachBackRecord"]


def default_store() -> Store:
    """The store widgets use unless given one: JSON files in the state folder. The folder is
    made on the first save, so a folder that cannot be made is reported, not a crash."""
    return JsonFileStore(state_dir(create=False))
