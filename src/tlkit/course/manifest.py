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
