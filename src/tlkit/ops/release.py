"""The learner's copy of the course: nbgrader's release of each module, copied into a workspace.

Authors edit modules/<id>/ (notebooks with solutions and hidden tests). nbgrader's
`generate_assignment` (its Python API, tlkit.ops.nbgrader_api) turns each module into a learner version under the build folder
(solutions and facilitator notes removed; see nbgrader_config.py), and this module copies
those versions into the workspace that JupyterLab opens.

A learner's files in the workspace are never overwritten. When a module's release changes
after a learner has their copy, the new version is written beside it, e.g.
"protocols (updated 2026-11-22).ipynb", and the learner is told where to find it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from tlkit.atomic import write_atomic
from tlkit.ops.hand_in import open_exchange
from tlkit.ops.nbgrader_api import NbgraderSetupError, course_api
from tlkit.settings import build_dir, course_root, exchange_dir, workspace_dir

# What was last copied from the release, per workspace file. It is how we tell "the release
# changed" (new version goes beside the learner's file) from "the learner edited their copy
# of an unchanged release" (nothing to do). A dot file, so JupyterLab does not list it.
MANIFEST = ".tlkit-release.json"


class ReleaseError(ValueError):
    """A module could not be turned into its learner version; the message says what to fix."""


@dataclass
class WorkspaceReport:
    workspace: Path
    added: list[Path] = field(default_factory=list)
    # (the learner's file, left untouched; where the new release was written instead)
    beside: list[tuple[Path, Path]] = field(default_factory=list)

    def messages(self) -> list[str]:
        lines = []
        if self.added:
            lines.append(f"Copied {len(self.added)} new file(s) into {self.workspace}.")
        for mine, new in self.beside:
            lines.append(
                f"A newer version of {mine.relative_to(self.workspace)} is in "
                f"'{new.relative_to(self.workspace)}'. Your own copy was left exactly as it was."
            )
        return lines


def module_ids(root: Path) -> list[str]:
    """The course's modules in order, each one nbgrader assignment: the manifest's rule
    (modules/course.yaml, tlkit.course.manifest.course_modules). Raises ReleaseError when the
    manifest and the folders in modules/ disagree."""
    from tlkit.course.manifest import ManifestError, course_modules

    try:
        return [entry.id for entry in course_modules(root)]
    except ManifestError as err:
        raise ReleaseError(f"The course cannot be released yet:\n{err}") from None


def generate_release(root: Path, module: str) -> Path:
    """nbgrader's `generate_assignment` for one module, through its Python API; return the
    module's release folder.

    nbgrader reads the course's nbgrader_config.py (see tlkit.ops.nbgrader_api) and its log is
    kept out of the terminal; only the problems it names reach the ReleaseError.
    """
    try:
        result = course_api(root).generate_assignment(module, force=True)
    except NbgraderSetupError as err:
        raise ReleaseError(f"Could not build the learner's version of the course: {err}") from None
    release = build_dir(root) / "release" / module
    if not result.success or not release.is_dir():
        detail = "\n  ".join(result.problems()) or "nbgrader stopped without naming a reason"
        raise ReleaseError(
            f"Could not build the learner's version of module '{module}' "
            f"(modules/{module}/). nbgrader reported:\n  {detail}\n"
            f"Fix what it names, or run `nbgrader generate_assignment {module} --force` in "
            f"{root} for the full log."
        )
    return release


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_manifest(workspace: Path) -> dict[str, str]:
    try:
        data = json.loads((workspace / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        # Missing or damaged: every differing file then counts as changed, which only ever
        # writes an extra copy beside the learner's file, never over it.
        return {}


def _save_manifest(workspace: Path, manifest: dict[str, str]) -> None:
    write_atomic(workspace / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))


def _copy_new(src: Path, dest: Path) -> None:
    # Written whole, so an interrupted copy never leaves half a notebook under the real name.
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(dest, src.read_bytes())


def _beside_path(target: Path, digest: str, today: dt.date) -> Path:
    """A free name next to `target` for a newer release (or one already holding it)."""
    stem = f"{target.stem} (updated {today.isoformat()}"
    candidate = target.with_name(f"{stem}){target.suffix}")
    n = 2
    while candidate.exists() and _digest(candidate) != digest:
        candidate = target.with_name(f"{stem}, {n}){target.suffix}")
        n += 1
    return candidate


def copy_release(release: Path, workspace: Path, today: dt.date | None = None) -> WorkspaceReport:
    """Copy one module's release folder into workspace/<module>/ without overwriting anything."""
    today = today or dt.date.today()
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = _load_manifest(workspace)
    report = WorkspaceReport(workspace)
    for src in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = (Path(release.name) / src.relative_to(release)).as_posix()
        target = workspace / rel
        digest = _digest(src)
        if not target.exists():
            _copy_new(src, target)
            report.added.append(target)
        elif _digest(target) != digest and manifest.get(rel) != digest:
            beside = _beside_path(target, digest, today)
            if not beside.exists():
                _copy_new(src, beside)
                report.beside.append((target, beside))
        manifest[rel] = digest
    _save_manifest(workspace, manifest)
    return report


def release_course(root: Path, workspace: Path, today: dt.date | None = None) -> WorkspaceReport:
    """Generate every module's release and copy them all into `workspace`."""
    modules = module_ids(root)  # never empty: the manifest refuses an empty module list
    report = WorkspaceReport(workspace.resolve())
    for module in modules:
        part = copy_release(generate_release(root, module), report.workspace, today)
        report.added += part.added
        report.beside += part.beside
    return report


def prepare_workspace(dest: Path | str | None = None, *, root: Path | None = None) -> Path:
    """Build the learner's copy of every module into the workspace and return its path.

    dest defaults to TLKIT_WORKSPACE or <course root>/workspace. Prints what changed.
    Raises ReleaseError (a ValueError with a plain message) when nbgrader cannot build a module.
    """
    root = Path(root) if root else course_root()
    workspace = Path(dest) if dest else workspace_dir(root)
    report = release_course(root, workspace)
    # Each module is handed in from this copy through the exchange `tlkit course collect` reads.
    build = build_dir(root)
    open_exchange(exchange_dir(build), build / "release", module_ids(root))
    for line in report.messages():
        print(line)
    return report.workspace
