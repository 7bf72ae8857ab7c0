"""A course module as data: its sections, timings, activities and facilitator notes.

Which modules exist, in what order, with what title and live-session length is the course
manifest's (modules/course.yaml, tlkit.course.manifest). Everything else is read from the
module's nbgrader SOURCE notebook, modules/<name>/<name>.ipynb, where each value is written
once, beside the text it describes:

    notebook metadata   "tlkit": {"module": "protocols", "objectives": ["...", ...]}
    section heading     "tlkit": {"section": "Running a tuning protocol",
                                  "self_study_minutes": 10, "live_minutes": 45,
                                  "activity": {"protocol": "tuning"},
                                  "pd_features": ["active-learning", "modelling"]}
    facilitator note    a markdown cell tagged "facilitator"; it belongs to the section above.

An activity is {"protocol": <id>} (run in the section's live minutes) or {"rubric": <id>},
optionally with "episode": <id> (scoring a written episode). "pd_features" lists the features of
effective professional development the section uses (tlkit.practice.features; unknown ids are
refused with the ids there are). The module's widget cells, the
facilitator guide, its handout and the live session all read the section's minutes from here
(section_activity; section_plan fits the section's protocol to them). A notebook that breaks these rules raises ModuleError naming the notebook,
the section and the fix; tlkit.course.consistency checks the prose against the metadata.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tlkit.practice.plan import Plan, plan_for
from tlkit.course.manifest import ManifestError, ModuleEntry, course_modules
from tlkit.settings import course_root

FACILITATOR_TAG = "facilitator"
ACTIVITY_KEYS = ("protocol", "rubric", "episode")
_METADATA_HINT = (
    'In JupyterLab open the notebook, then the property inspector (the gear icon, top right) '
    '> Advanced Tools > Notebook metadata, and add\n'
    '  "tlkit": {"module": "<name>", "objectives": ["<objective>", ...]}\n'
    'The title and session length live in modules/course.yaml.'
)


class ModuleError(ValueError):
    """A module notebook is missing, unreadable or has inconsistent metadata.

    The message names the notebook (and section) and says how to fix it.
    """


@dataclass(frozen=True)
class Activity:
    """What a section runs, as its heading metadata names it; slot_minutes is the section's
    live minutes (None when the section has no live time, so the suggested times are used)."""
    section: str
    slot_minutes: int | None
    protocol: str | None = None
    rubric: str | None = None
    episode: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    self_study_minutes: int
    live_minutes: int
    facilitator_notes: list[str] = field(default_factory=list)
    activity: Activity | None = None
    heading: str = ""   # the heading cell's text, for the consistency checks
    pd_features: tuple[str, ...] = ()   # ids from tlkit.practice.features


@dataclass(frozen=True)
class Module:
    name: str
    title: str
    session_minutes: int
    objectives: list[str]
    sections: list[Section]
    path: Path
    intro: str = ""     # the markdown before the first section (the "**Time:**" line lives here)

    @property
    def self_study_minutes(self) -> int:
        return sum(s.self_study_minutes for s in self.sections)

    @property
    def pd_features(self) -> tuple[str, ...]:
        """The features of effective professional development the module's sections use,
        each once, in the order the features file lists them."""
        from tlkit.practice.features import feature_ids

        used = {f for s in self.sections for f in s.pd_features}
        return tuple(f for f in feature_ids() if f in used)


@dataclass(frozen=True)
class AgendaItem:
    start: str   # "HH:MM"
    end: str     # "HH:MM"
    title: str
    minutes: int


def module_path(name: str, root: Path | str | None = None) -> Path:
    base = Path(root) if root is not None else course_root()
    return base / "modules" / name / f"{name}.ipynb"


def list_modules(root: Path | str | None = None) -> list[str]:
    """The course's module names in the manifest's order (modules/course.yaml).

    Raises ModuleError when the manifest and the folders in modules/ disagree.
    """
    return [entry.id for entry in _entries(root)]


def load_module(name: str, root: Path | str | None = None) -> Module:
    """Read modules/<name>/<name>.ipynb under `root` (default: tlkit.settings.course_root()).

    The module must be listed in modules/course.yaml, which gives its title and session length.
    """
    entry = _entry(name, root)
    path = module_path(name, root)
    notebook = _read_notebook(path)
    where = f"{path.name} ({path})"

    meta = notebook.get("metadata", {}).get("tlkit")
    if not isinstance(meta, dict):
        raise ModuleError(f"{where} has no \"tlkit\" notebook metadata. {_METADATA_HINT}")
    for key in ("module", "objectives"):
        if key not in meta:
            raise ModuleError(f"{where}: the \"tlkit\" notebook metadata has no {key!r}. "
                              f"{_METADATA_HINT}")
    if meta["module"] != name:
        raise ModuleError(f"{where}: the notebook metadata says module {meta['module']!r} but the "
                          f"file is modules/{name}/{name}.ipynb. Make the two names the same.")
    # Title and length are the manifest's. A notebook that still carries them must agree,
    # so an old copy can never show a second, different answer.
    for key, manifest_value in (("title", entry.title), ("session_minutes", entry.session_minutes)):
        if key in meta and meta[key] != manifest_value:
            raise ModuleError(
                f"{where}: the notebook metadata says {key} {meta[key]!r} but modules/course.yaml "
                f"says {manifest_value!r}. The course manifest is where the {key} lives: "
                f"remove {key!r} from the notebook metadata.")
    title, session = entry.title, entry.session_minutes
    objectives = meta["objectives"]
    if (not isinstance(objectives, list) or not objectives
            or not all(isinstance(o, str) and o.strip() for o in objectives)):
        raise ModuleError(f"{where}: notebook metadata 'objectives' must be a list of one or more "
                          f"sentences, e.g. [\"Tell clarifying from probing questions\"].")

    cells = notebook.get("cells", [])
    sections = _sections(cells, where)
    live = sum(s.live_minutes for s in sections)
    if live != session:
        breakdown = ", ".join(f"{s.title!r} {s.live_minutes}" for s in sections)
        raise ModuleError(
            f"{where}: the sections' live minutes add up to {live} but session_minutes is "
            f"{session} in modules/course.yaml ({breakdown}). Change a section's live_minutes "
            f"or the module's session_minutes in course.yaml so the two agree.")
    return Module(name=name, title=title, session_minutes=session,
                  objectives=[o.strip() for o in objectives], sections=sections, path=path,
                  intro=_intro(cells))


def section_activity(module: Module | str, section: str,
                     root: Path | str | None = None) -> Activity:
    """The activity a module section runs, timed to that section's live minutes.

    module: a Module or a module name (read with load_module). Raises ModuleError naming the
    sections there are, or saying the section names no activity.
    """
    if isinstance(module, str):
        name, sections = module, _sections_beside(module) if root is None else None
        if sections is None:
            sections = load_module(module, root).sections
    else:
        name, sections = module.name, module.sections
    found = next((s for s in sections if s.title == section.strip()), None)
    if found is None:
        names = "; ".join(repr(s.title) for s in sections)
        raise ModuleError(f"Module {name!r} has no section called {section!r}. Its "
                          f"sections are: {names}. Use one of those titles exactly.")
    if found.activity is None:
        raise ModuleError(
            f"Section {found.title!r} of module {name!r} names no activity. Add "
            f"\"activity\": {{\"protocol\": \"<protocol id>\"}} (or {{\"rubric\": \"<id>\"}}) to "
            f"its heading cell's \"tlkit\" metadata.")
    return found.activity


def agenda(module: Module, start: str = "09:00") -> list[AgendaItem]:
    """The live session, section by section, from `start` ("HH:MM", 24-hour clock).

    Self-study-only sections (0 live minutes) are left out. Times wrap past midnight.
    """
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", start.strip())
    if not match:
        raise ValueError(f"Start time {start!r} is not a time like 09:00 or 13:30 (24-hour clock).")
    clock = int(match[1]) * 60 + int(match[2])
    items = []
    for section in module.sections:
        if section.live_minutes == 0:
            continue
        end = clock + section.live_minutes
        items.append(AgendaItem(_hhmm(clock), _hhmm(end), section.title, section.live_minutes))
        clock = end
    return items


def _hhmm(minutes: int) -> str:
    hours, mins = divmod(minutes % (24 * 60), 60)
    return f"{hours:02d}:{mins:02d}"


def _sections_beside(name: str) -> list[Section] | None:
    """The sections of <name>.ipynb in the current folder, when it is that module's notebook.

    A notebook's kernel runs in the notebook's folder, so a widget cell reads the copy it sits
    in: the learner's released copy (JupyterLab does not point learners at the authors'
    notebooks), the autograded copy, or the source notebook itself. The release keeps the
    heading metadata, so every copy carries the same minutes as the text around them.
    """
    path = Path.cwd() / f"{name}.ipynb"
    if not path.is_file():
        return None
    try:
        notebook = _read_notebook(path)
    except ModuleError:
        return None
    meta = notebook.get("metadata", {}).get("tlkit")
    if not isinstance(meta, dict) or meta.get("module") != name:
        return None  # e.g. facilitator/<name>.ipynb, the guide: read the module instead
    return _sections(notebook.get("cells", []), f"{path.name} ({path})")


def _entries(root) -> list[ModuleEntry]:
    try:
        return course_modules(root)
    except ManifestError as err:
        raise ModuleError(str(err)) from None


def _entry(name: str, root) -> ModuleEntry:
    entries = _entries(root)
    for entry in entries:
        if entry.id == name:
            return entry
    known = ", ".join(entry.id for entry in entries) or "none"
    raise ModuleError(f"The course has no module called {name!r}; modules/course.yaml lists: "
                      f"{known}. Use one of those names, or add the module to course.yaml with "
                      f"its notebook at modules/{name}/{name}.ipynb.")


def _read_notebook(path: Path) -> dict:
    # Plain JSON rather than nbformat: this only reads metadata, and it keeps the facilitator
    # views quick to start (importing nbformat costs over a second).
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ModuleError(f"{path.name} ({path}) is not a readable notebook: {err.msg} at line "
                          f"{err.lineno}. Restore it from the course release or version "
                          f"history.") from err
    except UnicodeDecodeError as err:
        raise ModuleError(f"{path.name} ({path}) is not a readable notebook: it is not saved as "
                          f"UTF-8 text. Restore it from the course release or version "
                          f"history.") from err
    if not isinstance(notebook, dict):
        raise ModuleError(f"{path.name} ({path}) is not a notebook (expected a JSON object).")
    return notebook


def _intro(cells: list) -> str:
    parts = []
    for cell in cells:
        info = cell.get("metadata", {}).get("tlkit")
        if isinstance(info, dict) and "section" in info:
            break
        if cell.get("cell_type") == "markdown":
            parts.append(_source(cell))
    return "\n\n".join(parts)


def _sections(cells: list, where: str) -> list[Section]:
    sections: list[Section] = []
    for number, cell in enumerate(cells, start=1):
        meta = cell.get("metadata", {})
        info = meta.get("tlkit")
        if isinstance(info, dict) and "section" in info:
            sections.append(_section(info, f"{where}, cell {number}", _source(cell)))
        elif (cell.get("cell_type") == "markdown"
              and FACILITATOR_TAG in meta.get("tags", [])):
            if not sections:
                raise ModuleError(
                    f"{where}, cell {number}: a facilitator note comes before the first section "
                    f"heading, so it belongs to no section. Move it below a section heading.")
            sections[-1].facilitator_notes.append(_source(cell).strip())
    if not sections:
        raise ModuleError(
            f"{where} has no sections. Give each section's heading cell the cell metadata "
            f"\"tlkit\": {{\"section\": \"<title>\", \"self_study_minutes\": <minutes>, "
            f"\"live_minutes\": <minutes>}}.")
    return sections


def _section(info: dict, where: str, heading: str) -> Section:
    title = _text(info["section"], f"{where}: section title")
    for key in ("self_study_minutes", "live_minutes"):
        if key not in info:
            raise ModuleError(f"{where}, section {title!r}: the heading cell's \"tlkit\" metadata "
                              f"has no {key!r}. Add \"{key}\": <minutes> (0 if none).")
    live = _minutes(info["live_minutes"], f"{where}, section {title!r}: live_minutes")
    activity = None
    if "activity" in info:
        activity = _activity(info["activity"], title, live, f"{where}, section {title!r}")
    features: tuple[str, ...] = ()
    if "pd_features" in info:
        from tlkit.practice.features import unknown_feature_message

        problem = unknown_feature_message(info["pd_features"], f"{where}, section {title!r}")
        if problem:
            raise ModuleError(problem)
        features = tuple(info["pd_features"])
    return Section(
        title=title,
        self_study_minutes=_minutes(info["self_study_minutes"],
                                    f"{where}, section {title!r}: self_study_minutes"),
        live_minutes=live,
        activity=activity,
        heading=heading,
        pd_features=features,
    )


def _activity(value, title: str, live: int, where: str) -> Activity:
    example = ('e.g. "activity": {"protocol": "tuning"} or '
               '"activity": {"rubric": "student-led-discussion", "episode": "voting-age-discussion"}')
    if not isinstance(value, dict) or not value:
        raise ModuleError(f"{where}: \"activity\" must name what the section runs, {example}.")
    unknown = sorted(set(value) - set(ACTIVITY_KEYS))
    if unknown:
        raise ModuleError(f"{where}: the activity has {', '.join(map(repr, unknown))}, which the "
                          f"kit does not know; use protocol, rubric or episode, {example}.")
    for key, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise ModuleError(f"{where}: the activity's {key!r} must be an id such as "
                              f"\"tuning\", not {text!r}.")
    if "protocol" in value and len(value) > 1:
        raise ModuleError(f"{where}: an activity runs either a protocol or a rubric, not both; "
                          f"split them into two sections, {example}.")
    if "episode" in value and "rubric" not in value:
        raise ModuleError(f"{where}: an episode is scored with a rubric; add \"rubric\" beside "
                          f"\"episode\", {example}.")
    return Activity(section=title, slot_minutes=live or None,
                    **{key: text.strip() for key, text in value.items()})


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _text(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ModuleError(f"{what} must be some text, not {value!r}.")
    return value.strip()


def _minutes(value, what: str, positive: bool = False) -> int:
    # bool is an int in Python; `true` in the metadata is a typo, not a number of minutes.
    if isinstance(value, bool) or not isinstance(value, int) or value < (1 if positive else 0):
        need = "above 0" if positive else "0 or more"
        raise ModuleError(f"{what} is {value!r}; it must be a whole number of minutes "
                          f"({need}), e.g. 15.")
    return value


def section_plan(module: Module | str, section: str, root: Path | str | None = None) -> Plan:
    """The plan for the protocol a module section runs, fitted to the section's live minutes
    (the minutes the agenda gives the section). Raises ModuleError when the section runs no
    protocol, and RescaleError when its minutes are too few for the protocol."""
    activity = section_activity(module, section, root)
    if not activity.protocol:
        name = module if isinstance(module, str) else module.name
        raise ModuleError(f"The section {section!r} of module {name!r} runs no protocol, so "
                          f"there is no protocol to time.")
    return plan_for(activity.protocol, activity.slot_minutes)
