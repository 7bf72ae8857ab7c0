"""nbgrader's Python API for one course root, with results a teacher can read.

`course_api(root)` loads the course's nbgrader_config.py (as `nbgrader` does when run from the
course root) and wraps `nbgrader.apps.api.NbGraderAPI`. Each course operation - generate an
assignment, collect, autograde, generate feedback - returns an `NbgraderResult`: whether it
worked, nbgrader's own log kept for whoever needs the details, and a plain `summary()`.

nbgrader logs a great deal (hundreds of lines per build); all of it goes into the result,
none of it to the terminal.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "nbgrader_config.py"
# nbgrader's log goes here and nowhere else: no handler of its own, not passed up to the root.
LOGGER_NAME = "tlkit.nbgrader"


class NbgraderSetupError(ValueError):
    """The course's nbgrader_config.py is missing or cannot be loaded; the message says why."""


@dataclass(frozen=True)
class NbgraderResult:
    """What one nbgrader operation did."""

    action: str          # e.g. "generate_assignment"
    assignment: str      # the module (nbgrader assignment) it was run for
    success: bool
    log: str = ""        # nbgrader's log, "[LEVEL] message" per line
    error: str = ""      # the formatted traceback when nbgrader raised, else ""

    def problems(self, limit: int = 8) -> list[str]:
        """nbgrader's ERROR lines and the exceptions it names, without the tracebacks."""
        found: list[str] = []
        for line in self.log.splitlines():
            if line.startswith(("[ERROR]", "[CRITICAL]")):
                _add(found, line.split("]", 1)[1])
            elif _EXCEPTION_LINE.match(line):  # the last line of a traceback nbgrader logged
                _add(found, line)
        # What nbgrader raised in the end, when its log did not already say it.
        raised = [line for line in self.error.splitlines() if _EXCEPTION_LINE.match(line)]
        if raised and not any(raised[-1].split(": ", 1)[-1] in text for text in found):
            _add(found, raised[-1])
        return found[:limit]

    def summary(self) -> str:
        """One plain paragraph: what ran, and if it failed, what nbgrader named."""
        what = f"nbgrader {self.action.replace('_', ' ')} for '{self.assignment}'"
        if self.success:
            return f"{what}: done."
        problems = self.problems() or ["nbgrader stopped without naming a reason."]
        return f"{what} did not work. nbgrader reported:\n  " + "\n  ".join(problems)


_EXCEPTION_LINE = re.compile(r"^\s*[\w.]+(Error|Exception): ")


def _add(found: list[str], text: str) -> None:
    text = text.strip()
    # "Traceback ..." opens a logged traceback; "Please see the above traceback" points at it.
    if text and text not in found and not text.startswith("Traceback") and "Please see the" not in text:
        found.append(text)


def quiet_logger() -> logging.Logger:
    """The logger nbgrader's API writes to: captured per operation, never printed."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())  # so Python's last-resort handler stays out
    logger.setLevel(logging.INFO)
    return logger


def load_course_config(root: Path):
    """The traitlets Config from <root>/nbgrader_config.py, loaded as nbgrader loads it."""
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    root = Path(root).resolve()
    try:
        return PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    except ConfigFileNotFound:
        raise NbgraderSetupError(
            f"There is no {CONFIG_FILE} in {root}. It belongs at the top of the course folder, "
            "next to modules/."
        ) from None
    except ValueError as err:  # the kit's config raises these with a plain message
        raise NbgraderSetupError(str(err)) from None
    except Exception as err:  # a mistake in the file itself
        raise NbgraderSetupError(
            f"{root / CONFIG_FILE} could not be loaded ({type(err).__name__}: {err}). "
            "Undo the last change to that file, or compare it with the kit's copy."
        ) from None


def _migration_head() -> str:
    """The newest of nbgrader's gradebook migrations: what `alembic heads` prints for them."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = Config()
    config.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


def _read_migration_head_in_process() -> None:
    """nbgrader makes a new gradebook by starting the `alembic` command (found on PATH; about
    two seconds of a second Python) only to read that name. Read it here, once per process:
    a new gradebook then needs neither PATH nor another process."""
    import nbgrader.api

    if not getattr(nbgrader.api.get_alembic_version, "in_process", False):
        head = functools.cache(_migration_head)
        head.in_process = True
        nbgrader.api.get_alembic_version = head


@contextmanager
def _traitlets_level_kept():
    # NbGraderAPI sets the shared "traitlets" logger to its own level before it takes ours.
    shared = logging.getLogger("traitlets")
    level = shared.level
    try:
        yield
    finally:
        shared.setLevel(level)


class CourseAPI:
    """nbgrader's API bound to one course root; every call returns an NbgraderResult."""

    def __init__(self, root: Path, overrides: dict[str, object] | None = None):
        """overrides: extra settings as {"Class.trait": value}, applied after the course's
        config, e.g. a worker's own gradebook ("CourseDirectory.db_url") or a shorter cell
        time limit ("ExecutePreprocessor.timeout")."""
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        self.root = Path(root).resolve()
        config = load_course_config(self.root)
        # The config names the root too; set it here so a moved or copied course still works.
        config.CourseDirectory.root = str(self.root)
        for key, value in (overrides or {}).items():
            section, trait = key.split(".", 1)
            config[section][trait] = value
        self.config = config
        self.coursedir = CourseDirectory(config=config, log=quiet_logger())
        self.log = quiet_logger()
        _read_migration_head_in_process()
        with _traitlets_level_kept():
            self.api = NbGraderAPI(coursedir=self.coursedir, config=config, log=self.log)

    def _run(self, action: str, assignment: str, call) -> NbgraderResult:
        with _traitlets_level_kept(), warnings.catch_warnings():
            # SQLAlchemy warns about nbgrader's own session handling: nothing a teacher can act on.
            warnings.simplefilter("ignore")
            try:
                raw = call()
            except Exception as err:  # nbgrader catches most; this is the rest
                raw = {"success": False, "error": f"{type(err).__name__}: {err}"}
        raw = raw or {"success": False, "error": "nbgrader returned nothing"}
        return NbgraderResult(action, assignment, bool(raw.get("success")),
                              raw.get("log", "") or "", raw.get("error", "") or "")

    def generate_assignment(self, assignment: str, force: bool = True) -> NbgraderResult:
        """The learner's version of a module, into the build folder's release/<assignment>/."""
        return self._run("generate_assignment", assignment,
                         lambda: self.api.generate_assignment(assignment, force=force))

    def release_assignment(self, assignment: str) -> NbgraderResult:
        """Put the learner's version into the exchange, where learners fetch it."""
        return self._run("release_assignment", assignment,
                         lambda: self.api.release_assignment(assignment))

    def collect(self, assignment: str) -> NbgraderResult:
        return self._run("collect", assignment, lambda: self.api.collect(assignment))

    def autograde(self, assignment: str, student: str) -> NbgraderResult:
        # One learner per call: one bad notebook must not stop the grading of the others.
        return self._run("autograde", assignment,
                         lambda: self.api.autograde(assignment, student))

    def generate_feedback(self, assignment: str, student: str | None = None) -> NbgraderResult:
        return self._run("generate_feedback", assignment,
                         lambda: self.api.generate_feedback(assignment, student))


    def release_feedback(self, assignment: str, student: str | None = None) -> NbgraderResult:
        """Put generated feedback into the exchange, where learners fetch it."""
        return self._run("release_feedback", assignment,
                         lambda: self.api.release_feedback(assignment, student))

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    def gradebook(self):
        """nbgrader's Gradebook for this course (a context manager)."""
        from nbgrader.api import Gradebook

        return Gradebook(self.coursedir.db_url, self.coursedir.course_id)

    def path(self, step: str, student: str = ".", assignment: str = ".") -> Path:
        """A folder of the course: step is "submitted", "autograded", "feedback", "release"..."""
        folder = getattr(self.coursedir, f"{step}_directory")
        return Path(self.coursedir.format_path(folder, student, assignment))


def submitted_students(api: CourseAPI, module: str) -> list[str]:
    """The learners whose submission of `module` has been collected."""
    folder = api.path("submitted")
    return sorted(p.parent.name for p in folder.glob(f"*/{module}") if p.is_dir())


def course_api(root: Path) -> CourseAPI:
    """nbgrader's API for the course at `root`, configured by its nbgrader_config.py.

    Raises NbgraderSetupError (a ValueError with a plain message) when that file is missing
    or cannot be loaded.
    """
    return CourseAPI(root)


@contextmanager
def _setenv_and_restore(**values: str):
    """nbgrader.utils.setenv, restoring the variables even when the block raises."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def restore_env_after_grading() -> None:
    """nbgrader sets NBGRADER_EXECUTION while it grades a notebook but leaves it set when the
    grading raises. In a long-running process (the formgrader's server, whose Autograde button
    grades in-process) every later kernel and form would then act as if it were being graded.
    Make nbgrader's setenv restore what it changed."""
    import nbgrader.utils

    nbgrader.utils.setenv = _setenv_and_restore
