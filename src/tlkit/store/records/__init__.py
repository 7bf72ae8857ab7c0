"""Each widget's saved state as a small, versioned, plain record.

A record knows its `kind` and `version`, turns itself into a JSON-ready dict (`to_dict`) and
back (`from_dict`, which checks the shape and raises RecordError with a plain sentence). Views
of the same record open at once (two tabs, or a facilitator's and participants' screens later)
combine their edits with `merged(base, theirs)`: a three-way merge against the record the view
last read, so one view's save never wipes out another's work.

Files saved before records had a kind and version (plain dicts) still load: a missing kind
or version is read as version 1 of the expected kind.

The kinds live by what they belong to: `core` (Record, RecordError and the shared field
checks), `practice`, `observation`, `planning` and `course`. A new kind goes in its module and
is imported here, so `from tlkit.store.records import X` works for every kind.
"""

from tlkit.store.records.core import R, Record, RecordError
from tlkit.store.records.course import ExplorerRecord, LiveHostRecord, PaceRecord
from tlkit.store.records.observation import (CalibrationRecord, ObservationRecord, ObservedNote,
                                             ObserverRow, new_note_id)
from tlkit.store.records.planning import (PortfolioRecord, ReadinessRecord, TeamRatings,
                                          YearPlanRecord)
from tlkit.store.records.practice import (AuditRow, CoachingLogRecord, FeedbackSortRecord,
                                          QuestionWorkshopRecord, RunnerRecord,
                                          SelfAssessmentRecord, SessionAuditRecord,
                                          TeachBackRecord)

__all__ = ["AuditRow", "CalibrationRecord", "CoachingLogRecord", "ExplorerRecord",
           "FeedbackSortRecord", "LiveHostRecord", "ObservationRecord", "ObservedNote",
           "ObserverRow", "PaceRecord", "PortfolioRecord", "QuestionWorkshopRecord", "R",
           "ReadinessRecord", "Record", "RecordError", "RunnerRecord", "SelfAssessmentRecord",
           "SessionAuditRecord", "TeachBackRecord", "TeamRatings", "YearPlanRecord",
           "new_note_id"]

from tlkit.store.records.live import LiveJoinRecord

__all__ += ["LiveJoinRecord"]
