"""The course manifest (modules/course.yaml): the modules in order, each with its title and
live-session length. It is the one rule for what a module is: an entry here whose folder
modules/<id>/ holds <id>.ipynb. The release, the course model, the guides and the tests read it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tlkit.content.loader import ContentError, read_yaml
from tlkit.settings import course_root

MANIFEST_NAME = "course.yaml"
SLUG = re.compile(r"^[a-z][a-z0-9-]{1,40}$")


class ManifestError(ValueError):
    """The course manifest is missing or malformed; the message names the entry and the fix."""


@dataclass(frozen=True)
class ModuleEntry:
    id: str
    title: str
    session_minutes: int


def manifest_path(root: Path | str | None = None) -> Path:
    return Path(root if root is not None else course_root()) / "modules" / MANIFEST_NAME


def load_manifest(root: Path | str | None = None) -> list[ModuleEntry]:
    """The course's modules, in order."""
    path = manifest_path(root)
    if not path.is_file():
        raise ManifestError(f"There is no course manifest at {path}. It lists the modules in "
                            f"order; see AUTHORING.md.")
    try:
        # the one protected reader: no aliases, a size and a depth limit
        data = read_yaml(path, f"The course manifest {path}") or {}
    except ContentError as err:
        raise ManifestError(f"{err} Each module starts with '  - id:' and its title and "
                            f"session_minutes line up under 'id'.") from None
    entries = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: 'modules' must be a list of modules, each with id, title "
                            f"and session_minutes.")
    modules, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, modules[{number}]"
        if not isinstance(entry, dict):
            raise ManifestError(f"{where} must have id, title and session_minutes.")
        slug, title, minutes = entry.get("id"), entry.get("title"), entry.get("session_minutes")
        if not isinstance(slug, str) or not SLUG.match(slug):
            raise ManifestError(f"{where}: id {slug!r} must be lower-case letters, digits and "
                                f"hyphens, starting with a letter, e.g. teacher-roles.")
        if slug in seen:
            raise ManifestError(f"{where}: the id {slug!r} is listed twice; list each module once.")
        if not isinstance(title, str) or not title.strip():
            raise ManifestError(f"{where} ({slug}): give the module a title.")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise ManifestError(f"{where} ({slug}): session_minutes is {minutes!r}; it must be "
                                f"a whole number of minutes above 0, e.g. 90.")
        seen.add(slug)
        modules.append(ModuleEntry(slug, title.strip(), minutes))
    return modules


@dataclass(frozen=True)
class CourseRules:
    """The manifest's completion rules and certificate details (the `completion` and
    `certificate` blocks): what a learner must do for a certificate of PD hours."""
    title: str
    modules: tuple[str, ...]          # modules to hand in and have graded
    teach_back: bool                  # the teach-back must be done
    min_attendance_percent: int       # of the live sessions of the course's modules
    teach_back_minutes: int
    provider: str
    facilitator: str
    format: str


FORMATS = ("in person", "online", "blended: in person and online")


def course_rules(root: Path | str | None = None) -> CourseRules:
    """The completion rules and certificate details, checked; ManifestError says what to fix."""
    path = manifest_path(root)
    data = read_yaml(path, f"The course manifest {path}") or {}
    listed = [entry.id for entry in load_manifest(root)]
    done = data.get("completion") or {}
    card = data.get("certificate") or {}
    if not isinstance(done, dict) or not isinstance(card, dict):
        raise ManifestError(f"{path.name}: 'completion' and 'certificate' must each be a set "
                            "of named values (see the comments in the file).")
    modules = done.get("modules", "all")
    if modules == "all":
        modules = listed
    if not isinstance(modules, list) or any(m not in listed for m in modules):
        raise ManifestError(f"{path.name}: completion.modules must be 'all' or a list of the "
                            f"module ids under modules: ({', '.join(listed)}).")

    def whole(name: str, default: int, top: int) -> int:
        value = done.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise ManifestError(f"{path.name}: completion.{name} is {value!r}; it must be a "
                                f"whole number from 0 to {top}.")
        return value

    teach_back = done.get("teach_back", False)
    if not isinstance(teach_back, bool):
        raise ManifestError(f"{path.name}: completion.teach_back must be true or false.")
    texts = {}
    for name in ("provider", "facilitator", "format"):
        value = card.get(name, "")
        if not isinstance(value, str) or len(value) > 200:
            raise ManifestError(f"{path.name}: certificate.{name} must be text of at most 200 "
                                "characters.")
        texts[name] = value.strip()
    if texts["format"] and texts["format"] not in FORMATS:
        raise ManifestError(f"{path.name}: certificate.format is {texts['format']!r}; use one "
                            f"of: {', '.join(FORMATS)}.")
    title = data.get("title") if isinstance(data.get("title"), str) else "Teacher Leader Kit"
    return CourseRules(title.strip(), tuple(modules), teach_back,
                       whole("min_attendance_percent", 75, 100),
                       whole("teach_back_minutes", 30, 600), **texts)


def module_ids(root: Path | str | None = None) -> list[str]:
    """The ids listed in the manifest, in order (the files on disk are not looked at)."""
    return [entry.id for entry in load_manifest(root)]


def course_modules(root: Path | str | None = None) -> list[ModuleEntry]:
    """The course's modules, in manifest order, once the manifest and modules/ agree.

    The one rule for what a module is: a manifest entry <id> whose folder modules/<id>/ holds
    <id>.ipynb. A folder in modules/ the manifest does not list, or an entry without its
    notebook, raises ManifestError naming both and the fix, so the release, the course model,
    the guides and the tests never each decide differently.
    """
    entries = load_manifest(root)
    folder = manifest_path(root).parent
    problems = [_missing_notebook(folder, entry) for entry in entries
                if not (folder / entry.id / f"{entry.id}.ipynb").is_file()]
    listed = {entry.id for entry in entries}
    for unlisted in sorted(p for p in folder.iterdir() if p.is_dir() and p.name not in listed
                           and not p.name.startswith((".", "_"))):
        problems.append(
            f"modules/{unlisted.name}/ is a folder in modules/, but {MANIFEST_NAME} does not "
            f"list it, so it is not part of the course. Add it to {MANIFEST_NAME} (id: "
            f"{unlisted.name}, title, session_minutes; `tlkit new-module` does this for a new "
            f"module), or move the folder out of modules/.")
    if problems:
        raise ManifestError("\n".join(problems))
    return entries


def _missing_notebook(folder: Path, entry: ModuleEntry) -> str:
    expected = f"modules/{entry.id}/{entry.id}.ipynb"
    others = sorted(p.name for p in (folder / entry.id).glob("*.ipynb"))
    found = (f" The folder holds {', '.join(others)}: rename the module's notebook to "
             f"{entry.id}.ipynb." if others else "")
    return (f"{MANIFEST_NAME} lists the module {entry.id!r}, but there is no {expected}."
            f"{found} Put the module's notebook there, or remove the entry from "
            f"{MANIFEST_NAME}.")


def add_module(slug: str, title: str, session_minutes: int,
               root: Path | str | None = None) -> Path:
    """Append a module to the manifest, keeping the file's comments; returns the manifest path."""
    path = manifest_path(root)
    if slug in module_ids(root):
        raise ManifestError(f"The course already has a module called {slug!r}.")
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += (f"  - id: {slug}\n    title: {json.dumps(title)}\n"
             f"    session_minutes: {session_minutes}\n")
    path.write_text(text, encoding="utf-8")
    load_manifest(root)  # a JSON string is valid YAML; refuse to leave a manifest the kit cannot read
    return path
