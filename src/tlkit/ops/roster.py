"""Import a cohort's roster into nbgrader's gradebook: strict, and all or nothing.

nbgrader's own `db student import` lets a duplicate id overwrite another learner, accepts ids
that cannot be a folder name and blank names, refuses a file saved with a byte-order mark and
crashes on an empty file. Here the whole file is checked first; every problem is listed with
its spreadsheet row number and a plain reason, and then nothing is imported. Only a file with
no problems reaches the gradebook, in one transaction.

The file: CSV with a header row naming the columns id, first_name, last_name, email (any
order, any case; other columns are ignored). UTF-8 with or without a byte-order mark, Windows
or Unix line ends. A file separated by semicolons (what a spreadsheet saves in many
languages) is read as such, and the summary says so.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS = ("id", "first_name", "last_name", "email")
# An id becomes a folder name (submitted/<id>/...) and part of the exchange's file names:
# letters, digits, dot, dash and underscore; starting with a letter or digit.
ID_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL_RULE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterError(ValueError):
    """The roster file has problems; the message lists each one. Nothing was imported."""


@dataclass(frozen=True)
class Learner:
    id: str
    first_name: str
    last_name: str
    email: str

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass
class RosterCheck:
    path: Path
    learners: list[Learner] = field(default_factory=list)   # to add
    unchanged: list[Learner] = field(default_factory=list)  # already in the gradebook as given
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes, name: str) -> str | None:
    try:
        return data.decode("utf-8-sig")  # a byte-order mark (Excel's "CSV UTF-8") is dropped
    except UnicodeDecodeError:
        return None


def check_roster(path: Path | str, existing: dict[str, Learner] | None = None) -> RosterCheck:
    """Read and check a roster file against the learners already in the gradebook.

    Never raises for a bad file: every problem goes into `problems`.
    """
    path = Path(path)
    existing = existing or {}
    check = RosterCheck(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        check.problems.append(f"{path} cannot be read ({err.strerror or err}). Check the file name.")
        return check
    text = _decode(data, path.name)
    if text is None:
        check.problems.append(
            f"{path.name} is not saved as UTF-8 text. In your spreadsheet, save it again as "
            "'CSV UTF-8 (comma delimited)'.")
        return check
    lines = text.splitlines()
    if not text.strip():
        check.problems.append(f"{path.name} is empty. It needs a header row (id, first_name, "
                              "last_name, email) and one row per learner.")
        return check
    header = lines[0]
    delimiter = ","
    if header.count(";") > header.count(","):
        delimiter = ";"
        check.notes.append(f"{path.name} is separated by semicolons; it was read that way.")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    columns = [c.strip().lower().replace(" ", "_") for c in rows[0]]
    if "id" not in columns:
        check.problems.append(
            f"Row 1: there is no 'id' column (the columns found are: "
            f"{', '.join(repr(c) for c in rows[0]) or 'none'}). The first row must name the "
            "columns id, first_name, last_name, email.")
        return check
    extra = [c for c in columns if c and c not in COLUMNS]
    if extra:
        check.notes.append(f"Columns ignored: {', '.join(extra)}.")
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, e.g. at the end of the file
        values = {col: (row[i].strip() if i < len(row) else "") for i, col in enumerate(columns)}
        learner = Learner(values.get("id", ""), values.get("first_name", ""),
                          values.get("last_name", ""), values.get("email", ""))
        where = f"Row {number}"
        if not learner.id:
            check.problems.append(f"{where}: the id is blank. Give every learner an id.")
            continue
        if not ID_RULE.match(learner.id):
            check.problems.append(
                f"{where}: the id {learner.id!r} cannot be used: an id becomes a folder name, "
                "so use only letters, digits, dots, dashes and underscores (no spaces or "
                "slashes), starting with a letter or digit, at most 64 characters.")
        key = learner.id.lower()  # Rivera and rivera would be one folder on many computers
        if key in seen:
            check.problems.append(f"{where}: the id {learner.id!r} is already used in row "
                                  f"{seen[key]}. Every learner needs their own id.")
        else:
            seen[key] = number
        if not learner.first_name and not learner.last_name:
            check.problems.append(f"{where}: the name of {learner.id!r} is blank. Fill in "
                                  "first_name, last_name or both.")
        if learner.email and not EMAIL_RULE.match(learner.email):
            check.problems.append(f"{where}: {learner.email!r} is not an email address. "
                                  "Correct it or leave it blank.")
        before = existing.get(learner.id) or next(
            (e for i, e in existing.items() if i.lower() == key), None)
        if before is not None:
            if before == learner:
                check.unchanged.append(learner)
            else:
                check.problems.append(
                    f"{where}: the id {learner.id!r} already belongs to {before.name or 'a learner'} "
                    "in the gradebook. Use another id for this learner, correct the row to "
                    "match, or, if the gradebook is wrong, correct it with: tlkit course "
                    f"learner correct {learner.id} --first ... --last ... --email ...")
        else:
            check.learners.append(learner)
    if not check.learners and not check.unchanged and not check.problems:
        check.problems.append(f"{path.name} has a header row but no learners.")
    return check


def gradebook_learners(gb) -> dict[str, Learner]:
    return {s.id: Learner(s.id, s.first_name or "", s.last_name or "", s.email or "")
            for s in gb.students}


def import_roster(api, path: Path | str) -> RosterCheck:
    """Check the roster, then add every new learner to the gradebook in one transaction.

    Raises RosterError listing every problem (nothing imported) when the file has any.
    """
    from nbgrader.api import Student

    with api.gradebook() as gb:
        check = check_roster(path, gradebook_learners(gb))
        if check.problems:
            count = len(check.problems)
            raise RosterError(
                f"{Path(path).name} was not imported: {count} problem{'s' if count > 1 else ''} "
                "to fix first (nothing was added to the gradebook):\n  "
                + "\n  ".join(check.problems))
        try:
            gb.db.add_all([Student(id=l.id, first_name=l.first_name or None,
                                   last_name=l.last_name or None, email=l.email or None)
                           for l in check.learners])
            gb.db.commit()
        except Exception:
            gb.db.rollback()
            raise
    return check


def _find(gb, learner_id: str):
    """The gradebook's learner with this id, or RosterError naming the ids there are."""
    from nbgrader.api import MissingEntry

    try:
        return gb.find_student(learner_id)
    except MissingEntry:
        ids = sorted(s.id for s in gb.students)
        close = [i for i in ids if i.lower() == learner_id.lower()]
        hint = (f" Did you mean {close[0]!r}?" if close else
                f" The ids in it are: {', '.join(ids[:20])}{' ...' if len(ids) > 20 else ''}."
                if ids else " It has no learners yet.")
        raise RosterError(f"There is no learner {learner_id!r} in the gradebook.{hint}") from None


def correct_learner(api, learner_id: str, *, first_name: str | None = None,
                    last_name: str | None = None, email: str | None = None) -> list[str]:
    """Change a learner's name or email in the gradebook (the id, and so their grades and
    folders, stay). None leaves a field as it is; "" clears it."""
    if first_name is None and last_name is None and email is None:
        raise RosterError("Say what to change: --first, --last or --email (or several).")
    with api.gradebook() as gb:
        student = _find(gb, learner_id)
        before = Learner(student.id, student.first_name or "", student.last_name or "",
                         student.email or "")
        after = Learner(before.id,
                        before.first_name if first_name is None else first_name.strip(),
                        before.last_name if last_name is None else last_name.strip(),
                        before.email if email is None else email.strip())
        if not after.first_name and not after.last_name:
            raise RosterError(f"The name of {learner_id!r} cannot be blank: give a first or "
                              "last name.")
        if after.email and not EMAIL_RULE.match(after.email):
            raise RosterError(f"{after.email!r} is not an email address. Correct it, or give "
                              "--email \"\" to leave it blank.")
        if after == before:
            return [f"{learner_id} is already {_described(after)}: nothing changed."]
        gb.update_or_create_student(learner_id, first_name=after.first_name or None,
                                    last_name=after.last_name or None, email=after.email or None)
    return [f"Corrected {learner_id}: was {_described(before)}, now {_described(after)}.",
            "Their grades and hand-ins are kept. Correct the row in your roster file too, so "
            "that importing it again agrees with the gradebook."]


def _described(learner: Learner) -> str:
    return f"{learner.name or '(no name)'}" + (f" <{learner.email}>" if learner.email else
                                               " (no email)")


def remove_learner(api, learner_id: str, *, with_grades: bool = False) -> list[str]:
    """Take a learner out of the gradebook. One with grades is removed only with_grades:
    nbgrader removes their submissions and scores with them."""
    with api.gradebook() as gb:
        student = _find(gb, learner_id)
        learner = Learner(student.id, student.first_name or "", student.last_name or "",
                          student.email or "")
        graded = sorted((s.assignment.name, s.score, s.max_score) for s in student.submissions)
        if graded and not with_grades:
            lost = "; ".join(f"'{m}': {score:g} of {top:g}" for m, score, top in graded)
            raise RosterError(
                f"{learner_id} ({learner.name}) has grades for {len(graded)} module(s) ({lost}). "
                "Removing them would delete these grades, and any reflection grades and "
                "comments, from the gradebook. If that is what you want, run the same command "
                "with --with-grades. To fix only a name or email, use tlkit course learner "
                "correct instead.")
        gb.remove_student(learner_id)
    lines = [f"Removed {learner_id} ({learner.name}) from the gradebook."]
    if graded:
        lines.append(f"Their grades for {len(graded)} module(s) were deleted with them: "
                     + ", ".join(f"'{m}'" for m, _, _ in graded) + ".")
        lines.append("Their hand-in files stay in the course's submitted, autograded and "
                     "feedback folders.")
    lines.append("Take the row out of your roster file too, or importing it again adds them back.")
    return lines
