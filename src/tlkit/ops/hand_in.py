"""Handing a module in from the learner's own notebook, and getting its feedback back.

Both go through nbgrader's exchange, the one folder `tlkit course collect` reads and
`tlkit course feedback` hands feedback back into: `<build folder>/exchange` on one machine
(`tlkit start` sets it up), the shared TLKIT_EXCHANGE folder on a hub (where nbgrader's own
Assignments panel uses it too). A hand-in is the whole module folder, so the notebook and the
answers file (tlkit.course.answers) travel together; handing in again adds a newer copy, and
collecting takes the newest.

nbgrader's exchange classes log to the console and fail with messages meant for programmers;
here their log is kept quiet and every failure becomes a sentence (HandInError).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from tlkit.course.answers import AnswersError, read_answers
from tlkit.settings import COURSE_ID, exchange_dir, role

FEEDBACK_FOLDER = "feedback"  # where nbgrader's fetch puts feedback, in the module's folder


class HandInError(RuntimeError):
    """A module could not be handed in, or its feedback fetched; the message says why."""


@dataclass(frozen=True)
class HandIn:
    """One hand-in of a module, as the learner's own copy of it records."""

    module: str
    when: dt.datetime  # in UTC

    def said(self) -> str:
        local = self.when.astimezone()
        return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


@dataclass(frozen=True)
class Progress:
    """How much of a module's forms hold an answer, from its answers file."""

    activities: int
    activities_answered: int
    reflections: int
    reflections_written: int

    def said(self) -> str:
        return (f"{self.activities_answered} of {self.activities} checked activities answered, "
                f"{self.reflections_written} of {self.reflections} reflections written")


def _quiet_log() -> logging.Logger:
    log = logging.getLogger("tlkit.hand_in")
    log.propagate = False  # nbgrader's notes would print under the learner's notebook
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def _config(folder: Path):
    from traitlets.config import Config

    config = Config()
    config.Exchange.root = str(exchange_dir())
    config.Exchange.assignment_dir = str(folder.parent)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.assignment_id = folder.name
    config.CourseDirectory.student_id = _student()
    return config


def _run(kind: str, folder: Path) -> None:
    """Run one of nbgrader's exchange steps ("Submit" or "FetchFeedback") for `folder`."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeError, ExchangeFactory

    config = _config(folder)
    step = getattr(ExchangeFactory(config=config), kind)(
        coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config),
        config=config, log=_quiet_log())
    try:
        step.start()
    except ExchangeError as error:
        raise HandInError(_plain(str(error), folder.name)) from None
    except OSError as error:
        raise HandInError(f"The course's hand-in folder could not be used "
                          f"({error.strerror or error}). Your answers are safe here; tell "
                          "your facilitator.") from None


def _plain(problem: str, module: str) -> str:
    """nbgrader's exchange message in a sentence a learner can act on."""
    if "Unwritable directory" in problem or "Inbound directory doesn't exist" in problem:
        return ("Handing in is not set up on this computer yet (the course's hand-in folder is "
                "missing). Your answers are safe here; ask your facilitator to set up the "
                "course.")
    if "Assignment not found" in problem:
        return (f"'{module}' has not been given out to your course yet, so it cannot be handed "
                "in. Your answers are safe here; ask your facilitator.")
    if "permissions" in problem or "You don't own" in problem:
        return ("The course's hand-in folder does not let you hand in. Your answers are safe "
                "here; tell your facilitator.")
    return f"Could not hand in: {problem} Your answers are safe here; tell your facilitator."


def hand_in(folder: Path | str) -> HandIn:
    """Hand in the module whose folder is `folder` (the notebook's folder); the newest
    hand-in is what the facilitator collects."""
    folder = Path(folder).resolve()
    _run("Submit", folder)
    latest = hand_ins(folder.name)
    if not latest:  # nbgrader said nothing went wrong, yet keeps no record of it
        raise HandInError("Handing in did not finish. Try again; your answers are safe here.")
    return latest[-1]


def _student() -> str:
    """Who hands in: the hub name on a hub (as deploy/nbgrader/nbgrader_config.py says),
    else the computer's user name, as nbgrader's own Submit would file it."""
    from nbgrader.utils import get_username

    hub_name = os.environ.get("JUPYTERHUB_USER")
    return hub_name if hub_name and role() != "facilitator" else get_username()


def _cache() -> Path:
    from nbgrader.exchange.default.exchange import Exchange

    return Path(Exchange().cache) / COURSE_ID


def hand_ins(module: str) -> list[HandIn]:
    """This learner's hand-ins of `module` from this computer, oldest first."""
    from nbgrader.utils import parse_utc

    found = []
    for copy in _cache().glob(f"{_student()}+{module}+*"):
        try:
            stamp = (copy / "timestamp.txt").read_text(encoding="utf-8").strip()
            when = parse_utc(stamp)
        except (OSError, ValueError, OverflowError):
            continue
        found.append(HandIn(module, when.replace(tzinfo=dt.timezone.utc)))
    return sorted(found, key=lambda h: h.when)


def fetch_feedback(folder: Path | str) -> list[Path]:
    """Bring any feedback on this learner's hand-ins of the module into its folder; the
    feedback pages there, newest first."""
    folder = Path(folder).resolve()
    if hand_ins(folder.name):
        _run("FetchFeedback", folder)
    return feedback_pages(folder)


def feedback_pages(folder: Path | str) -> list[Path]:
    """The feedback pages already in the module's folder, newest first."""
    base = Path(folder) / FEEDBACK_FOLDER
    pages = [p for p in base.glob("*/*.html") if p.is_file() and not p.is_symlink()]
    return sorted(pages, key=lambda p: p.parent.name, reverse=True)


_FORM = re.compile(r"""\b(activity_form|ReflectionBox)\(\s*(["'])([A-Za-z0-9_-]+)\2""")


def module_forms(folder: Path | str) -> tuple[list[str], list[str]]:
    """The ids of the checked activities and of the reflections in the module's notebook
    (`<folder>/<folder name>.ipynb`), in the notebook's order; none if it cannot be read."""
    folder = Path(folder)
    path = folder / f"{folder.name}.ipynb"
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources = ["".join(c.get("source", "")) if isinstance(c.get("source"), list)
                   else str(c.get("source", "")) for c in cells if c.get("cell_type") == "code"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return [], []
    found = [m for source in sources for m in _FORM.finditer(source)]
    return ([m.group(3) for m in found if m.group(1) == "activity_form"],
            [m.group(3) for m in found if m.group(1) == "ReflectionBox"])


def handed_in_said(page: Path) -> str:
    """When the hand-in a feedback page answers was made, from its folder's name (nbgrader
    names it by the hand-in's time), in words."""
    from nbgrader.utils import parse_utc

    try:
        when = parse_utc(page.parent.name).replace(tzinfo=dt.timezone.utc)
    except (ValueError, OverflowError):
        return page.parent.name
    return HandIn(page.parent.parent.parent.name, when).said()


def progress(folder: Path | str) -> Progress:
    """How many of the module's activities and reflections its answers file holds."""
    activities, reflections = module_forms(folder)
    try:
        answers = read_answers(folder)
    except AnswersError:
        answers = None
    answered = sum(1 for a in activities if answers and any(
        str(v).strip() for v in answers.activity(a).values()))
    written = sum(1 for r in reflections if answers and answers.reflection(r).strip())
    return Progress(len(activities), answered, len(reflections), written)


def open_exchange(exchange: Path, release: Path, modules: list[str]) -> None:
    """Make `exchange` ready for hand-ins of `modules` on this machine: its folders, and each
    module's learner copy (from the `release` folder) where nbgrader's hand-in looks for it."""
    course = exchange / COURSE_ID
    for part in ("inbound", "outbound", "feedback"):
        (course / part).mkdir(parents=True, exist_ok=True)
    for module in modules:
        given = course / "outbound" / module
        if not given.exists() and (release / module).is_dir():
            shutil.copytree(release / module, given)
