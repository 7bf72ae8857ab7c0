"""The kit's interactive components (ipywidgets), each a thin view over plain logic in tlkit.

Notebooks import them from here in one line, e.g. `from tlkit.widgets import ProtocolRunner`.
Rooms: `common` (messages and HTML shared by every widget), `course` (agenda, facilitator
guide panels), `practice` (protocol runner, feedback sorter, observation notes, calibration),
`live` (live sessions), `thread` (between-session reflection threads), `planning` (year
planner, readiness, portfolio), `explore` (surveys).
"""

from tlkit.lazy import lazy_exports

# Imported on first use, so a notebook pays only for the widgets it shows.
_LAZY = {
    "AgendaView": "course.agenda",
    "activity_widget": "course.activity",
    "ActivityForm": "course.activity_form",
    "activity_form": "course.form_cell",
    "ReflectionBox": "course.reflection_box",
    "HandInPanel": "course.hand_in",
    "ProtocolPanel": "course.guide",
    "ProtocolRunner": "practice.protocol_runner",
    "ProtocolPresenter": "practice.presenter",
    "FeedbackSorter": "practice.feedback_sort",
    "QuestionWorkshop": "practice.question_workshop",
    "CoachingLog": "practice.coaching_log",
    "ObservationNotes": "practice.observation_notes",
    "CalibrationView": "practice.calibration_view",
    "CourseMapView": "course.course_map",
    "ScheduleView": "course.course_map",
    "EnvironmentCheck": "course.course_map",
    "SelfAssessmentForm": "practice.self_assessment",
    "GrowthPlan": "practice.self_assessment",
    "LiveSessionHost": "live.host",
    "LiveSessionJoin": "live.participant",
    "TeachBackHost": "live.teach_back_host",
    "TeachBackReturn": "planning.teach_back_view",
    "YearPlanner": "planning.year_planner",
    "SessionAudit": "practice.session_audit",
    "SurveyExplorer": "explore.survey_explorer",
    "ObservationTrend": "explore.trend",
    "ReadinessCheck": "planning.readiness_view",
    "PortfolioView": "planning.portfolio_view",
    "ThreadHost": "thread.host",
    "ReflectionThread": "thread.panel",
    "EvaluationView": "planning.evaluation_view",
    "FollowUpForm": "planning.follow_up_form",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
