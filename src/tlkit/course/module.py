"""A course module as data: its sections, timings and facilitator notes, read from the notebook.

Each module is one nbgrader SOURCE notebook, modules/<name>/<name>.ipynb. The notebook's own
metadata carries the module record and each section's heading cell carries the section's
minutes, so the timings live beside the text they describe and cannot drift apart:

    notebook metadata   "tlkit": {"module": "protocols", "title": "...", "session_minutes": 120,
                                  "objectives": ["...", ...]}
    section heading     "tlkit": {"section": "Why protocols?", "self_study_minutes": 10,
                                  "live_minutes": 10}
    facilitator note    a markdown cell tagged "facilitator"; it belongs to the section above.

A notebook that breaks these rules raises ModuleError naming the notebook, the section and the fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tlkit.settings import course_root

FACILITATOR_TAG = "facilitator"
_METADATA_HINT = (
    'In JupyterLab open the notebook, then the property inspector (the gear icon, top right) '
    '> Advanced Tools > Notebook metadata, and add\n'
    '  "tlkit": {"module": "<name>", "title": "<title>", "session_minutes": <minutes>, '
    '"objectives": ["<objective>", ...]}'
)


class ModuleError(ValueError):
    """A module notebook is missing, unreadable or has inconsistent metadata.

    The message names the notebook (and section) and says how to fix it.
    """


@dataclass(frozen=True)
class Section:
    title: str
    self_study_minutes: int
    live_minutes: int
    facilitator_notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Module:
    name: str
    title: str
    session_minutes: int
    objectives: list[str]
    sections: list[Section]
    path: Path

    @property
    def self_study_minutes(self) -> int:
        return sum(s.self_study_minutes for s in self.sections)


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
    """Names of the modules whose folder holds a notebook of the same name, sorted."""
    base = Path(root) if root is not None else course_root()
    return sorted(p.parent.name for p in (base / "modules").glob("*/*.ipynb")
                  if p.stem == p.parent.name)


def load_module(name: str, root: Path | str | None = None) -> Module:
    """Read modules/<name>/<name>.ipynb under `root` (default: tlkit.settings.course_root())."""
    path = module_path(name, root)
    notebook = _read_notebook(path, name, root)
    where = f"{path.name} ({path})"

    meta = notebook.get("metadata", {}).get("tlkit")
    if not isinstance(meta, dict):
        raise ModuleError(f"{where} has no \"tlkit\" notebook metadata. {_METADATA_HINT}")
    for key in ("module", "title", "session_minutes", "objectives"):
        if key not in meta:
            raise ModuleError(f"{where}: the \"tlkit\" notebook metadata has no {key!r}. "
                              f"{_METADATA_HINT}")
    if meta["module"] != name:
        raise ModuleError(f"{where}: the notebook metadata says module {meta['module']!r} but the "
                          f"file is modules/{name}/{name}.ipynb. Make the two names the same.")
    title = _text(meta["title"], f"{where}: notebook metadata 'title'")
    session = _minutes(meta["session_minutes"], f"{where}: notebook metadata 'session_minutes'",
                       positive=True)
    objectives = meta["objectives"]
    if (not isinstance(objectives, list) or not objectives
            or not all(isinstance(o, str) and o.strip() for o in objectives)):
        raise ModuleError(f"{where}: notebook metadata 'objectives' must be a list of one or more "
                          f"sentences, e.g. [\"Tell clarifying from probing questions\"].")

    sections = _sections(notebook.get("cells", []), where)
    live = sum(s.live_minutes for s in sections)
    if live != session:
        breakdown = ", ".join(f"{s.title!r} {s.live_minutes}" for s in sections)
        raise ModuleError(
            f"{where}: the sections' live minutes add up to {live} but session_minutes is "
            f"{session} ({breakdown}). Change a section's live_minutes or the notebook's "
            f"session_minutes so the two agree.")
    return Module(name=name, title=title, session_minutes=session,
                  objectives=[o.strip() for o in objectives], sections=sections, path=path)


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


def _read_notebook(path: Path, name: str, root) -> dict:
    # Plain JSON rather than nbformat: this only reads metadata, and it keeps the facilitator
    # views quick to start (importing nbformat costs over a second).
    if not path.is_file():
        try:
            known = ", ".join(list_modules(root)) or "none"
        except FileNotFoundError:
            known = "none"
        raise ModuleError(f"No module notebook at {path}. Modules found: {known}. A module "
                          f"named {name!r} must live at modules/{name}/{name}.ipynb.")
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


def _sections(cells: list, where: str) -> list[Section]:
    sections: list[Section] = []
    for number, cell in enumerate(cells, start=1):
        meta = cell.get("metadata", {})
        info = meta.get("tlkit")
        if isinstance(info, dict) and "section" in info:
            sections.append(_section(info, f"{where}, cell {number}"))
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


def _section(info: dict, where: str) -> Section:
    title = _text(info["section"], f"{where}: section title")
    for key in ("self_study_minutes", "live_minutes"):
        if key not in info:
            raise ModuleError(f"{where}, section {title!r}: the heading cell's \"tlkit\" metadata "
                              f"has no {key!r}. Add \"{key}\": <minutes> (0 if none).")
    return Section(
        title=title,
        self_study_minutes=_minutes(info["self_study_minutes"],
                                    f"{where}, section {title!r}: self_study_minutes"),
        live_minutes=_minutes(info["live_minutes"], f"{where}, section {title!r}: live_minutes"),
    )


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
