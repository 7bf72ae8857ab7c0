"""Is the kit installed correctly? A few plain checks, each with a sentence a teacher can act on.

Module 0 (Start here) runs them through a small widget; `run_checks` is plain logic so the
tests can feed it a broken set-up (an old Python, a missing package, a widgets front end that
does not match, a folder that cannot be written) without breaking the machine they run on.

Each check gives a status ("ok", "warning" or "problem"), what it found, and, when something is
wrong, what to do. Nothing here imports the packages it checks: it reads their installed
versions (importlib.metadata), so a broken package cannot stop the check itself.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from tlkit import settings

OK, WARNING, PROBLEM = "ok", "warning", "problem"

MINIMUM_PYTHON = (3, 11)

# The packages a learner's notebook needs, with what each one does in plain words.
NEEDED = (
    ("jupyterlab", "the notebook program"),
    ("ipykernel", "runs the code cells"),
    ("ipywidgets", "the buttons, boxes and sliders"),
    ("jupyterlab_widgets", "shows those widgets inside JupyterLab"),
    ("nbgrader", "checks and collects your answers"),
    ("pandas", "the tables of data"),
    ("matplotlib", "the charts"),
    ("PyYAML", "reads the course's content files"),
)

# ipywidgets and the part of JupyterLab that draws them come in matching pairs. A mismatch is
# the usual cause of "Error displaying widget: model not found".
WIDGET_PAIRS = {8: 3, 7: 1}

REINSTALL = ("Open a terminal in the course folder and run `make start` again: it installs "
             "what is missing. If it still fails, send this page to whoever set up the course.")


@dataclass(frozen=True)
class Check:
    name: str       # what was checked, in plain words
    status: str     # ok, warning or problem
    found: str      # what the check found
    fix: str = ""   # what to do (empty when all is well)

    @property
    def ok(self) -> bool:
        return self.status == OK


VersionOf = Callable[[str], "str | None"]


def installed_version(distribution: str) -> str | None:
    """The installed version of a package, or None when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _major(version: str) -> int | None:
    match = re.match(r"(\d+)", version)
    return int(match[1]) if match else None


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(lock: Path) -> dict[str, str]:
    """The pinned versions in requirements.lock (name -> version), keyed by canonical name."""
    pins = {}
    try:
        text = lock.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return pins
    for line in text.splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[_canonical(match[1])] = match[2]
    return pins


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Check:
    shown = ".".join(map(str, version[:3]))
    need = ".".join(map(str, MINIMUM_PYTHON))
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return Check("Python", OK, f"Python {shown}.")
    return Check("Python", PROBLEM, f"Python {shown} is too old: the course needs {need} or newer.",
                 f"Install Python {need} or newer, then run `make start` again in the course "
                 f"folder (or ask whoever set up the course).")


def check_packages(version_of: VersionOf = installed_version,
                   pins: dict[str, str] | None = None) -> Check:
    """Every package the notebooks need is installed (at the pinned version, if pins given)."""
    missing, other = [], []
    for name, role in NEEDED:
        version = version_of(name)
        if version is None:
            missing.append(f"{name} ({role})")
            continue
        pinned = (pins or {}).get(_canonical(name))
        if pinned and pinned != version:
            other.append(f"{name} {version} (the course was tested with {pinned})")
    if missing:
        return Check("Course packages", PROBLEM, "Not installed: " + "; ".join(missing) + ".",
                     REINSTALL)
    if other:
        return Check("Course packages", WARNING,
                     "All installed, but some versions differ from the tested set: "
                     + "; ".join(other) + ".",
                     "Most things will still work. If a widget or a check misbehaves, run "
                     "`make start` again in the course folder to install the tested versions.")
    return Check("Course packages", OK, f"All {len(NEEDED)} packages the notebooks need are installed.")


def check_widgets(version_of: VersionOf = installed_version) -> Check:
    """ipywidgets and jupyterlab_widgets match, so widgets can be drawn."""
    widgets, front = version_of("ipywidgets"), version_of("jupyterlab_widgets")
    if widgets is None or front is None:
        absent = " and ".join(n for n, v in (("ipywidgets", widgets),
                                            ("jupyterlab_widgets", front)) if v is None)
        return Check("Widgets", PROBLEM, f"Widgets cannot be shown: {absent} is not installed.",
                     REINSTALL)
    expected = WIDGET_PAIRS.get(_major(widgets))
    if expected is not None and _major(front) != expected:
        return Check("Widgets", PROBLEM,
                     f"ipywidgets {widgets} does not match jupyterlab_widgets {front}. This is "
                     f"the usual cause of \"Error displaying widget: model not found\".",
                     REINSTALL)
    return Check("Widgets", OK, f"ipywidgets {widgets} with jupyterlab_widgets {front}: they match.")


def check_kit(version_of: VersionOf = installed_version) -> Check:
    """The kit itself and its content files."""
    version = version_of("tlkit")
    if version is None:
        return Check("The course kit", PROBLEM, "The course kit (tlkit) is not installed.",
                     REINSTALL)
    try:
        from tlkit import content

        content.load("protocol", "tuning")
    except Exception as err:  # noqa: BLE001 - any failure here means a broken install
        return Check("The course kit", PROBLEM,
                     f"The kit {version} is installed, but its content files cannot be read "
                     f"({type(err).__name__}).", REINSTALL)
    return Check("The course kit", OK, f"tlkit {version} is installed and its content files read.")


def check_course(root: Path | None = None) -> Check:
    """The course folder and its list of modules can be found."""
    from tlkit.course.manifest import ManifestError, load_manifest

    try:
        folder = Path(root) if root is not None else settings.course_root()
        modules = load_manifest(folder)
    except (FileNotFoundError, ManifestError) as err:
        return Check("The course", WARNING, str(err).splitlines()[0],
                     "The course map cannot be shown, but your notebooks still work. Open the "
                     "notebooks from the course's workspace folder, or ask whoever set up the "
                     "course.")
    return Check("The course", OK, f"The course lists {len(modules)} modules.")


def check_saving(folder: Path | None = None) -> Check:
    """Widgets can save their state (the folder exists and can be written)."""
    try:
        folder = Path(folder) if folder is not None else settings.state_dir(create=False)
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".check-", dir=folder)
        os.close(handle)
        os.remove(probe)
    except OSError as err:
        return Check("Saving your work", PROBLEM,
                     f"Widgets cannot save in {folder} ({err.strerror or err}).",
                     "Your notebook answers are still saved with the notebook, but widgets "
                     "forget their state when the page closes. Ask whoever set up the course to "
                     "make that folder writable, or to set TLKIT_STATE_DIR to one that is.")
    return Check("Saving your work", OK, f"Widgets save their state in {folder}.")


def run_checks(*, root: Path | None = None, state: Path | None = None,
               python: tuple[int, ...] | None = None,
               version_of: VersionOf = installed_version) -> list[Check]:
    """Every check, in the order a teacher would fix them."""
    try:
        folder = Path(root) if root is not None else settings.course_root()
        pins = read_pins(folder / "requirements.lock")
    except FileNotFoundError:
        pins = {}
    return [
        check_python(python if python is not None else tuple(sys.version_info[:3])),
        check_kit(version_of),
        check_packages(version_of, pins),
        check_widgets(version_of),
        check_saving(state),
        check_course(root),
    ]


def summary(checks: Iterable[Check]) -> str:
    """One sentence for the top of the result."""
    checks = list(checks)
    problems = sum(c.status == PROBLEM for c in checks)
    warnings = sum(c.status == WARNING for c in checks)
    if not problems and not warnings:
        return "Everything is in place: the kit is installed correctly."
    parts = []
    if problems:
        parts.append(f"{problems} {'problem needs' if problems == 1 else 'problems need'} fixing")
    if warnings:
        parts.append(f"{warnings} {'thing is' if warnings == 1 else 'things are'} worth a look")
    return " and ".join(parts).capitalize() + ". What to do is below each one."
