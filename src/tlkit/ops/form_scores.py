"""While autograding, the score of a form activity is computed here, never in the learner's kernel.

A learner's kernel runs whatever the learner put in the notebook, so anything it prints can be
forged (a cell that replaces the checking function, or prints a full score). This nbgrader
preprocessor runs in the coordinator's own process, after the notebook has run and before
nbgrader saves the grades (nbgrader_config.py). For each grade cell whose hidden tests read
`score_form("<activity>", {<key>})`, it takes the key from the cell's source (restored from the
gradebook, so the learner never touched it), reads the learner's answers from the answers file
they handed in (tlkit.course.answers: data only, size and shape checked), and replaces the
cell's outputs with the feedback lines and the points earned, which nbgrader reads as partial
credit. For each cell that shows a reflection box, it puts the reflection's text in the cell's
outputs as plain text, so the formgrader and the feedback page show what the learner wrote.
"""

from __future__ import annotations

import ast
from pathlib import Path

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from tlkit.course.answers import Answers, AnswersError, read_answers
from tlkit.course.checks import ActivityError, load_activity
from tlkit.course.forms import review_form

SCORE_CALL = "score_form"
REFLECTION_CALL = "ReflectionBox"


def _calls(source: str, name: str) -> list[ast.Call]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name) and node.func.id == name]


def score_call(source: str) -> tuple[str, dict] | None:
    """The activity id and key of the cell's `score_form("id", {...})`, read as data."""
    for call in _calls(source, SCORE_CALL):
        try:
            activity_id = ast.literal_eval(call.args[0])
            key = ast.literal_eval(call.args[1])
        except (IndexError, ValueError, SyntaxError):
            continue
        if isinstance(activity_id, str) and isinstance(key, dict):
            return activity_id, key
    return None


def reflection_call(source: str) -> str | None:
    """The reflection id of the cell's `ReflectionBox("id", ...)`."""
    for call in _calls(source, REFLECTION_CALL):
        try:
            reflection_id = ast.literal_eval(call.args[0])
        except (IndexError, ValueError, SyntaxError):
            continue
        if isinstance(reflection_id, str):
            return reflection_id
    return None


def _text(lines: list[str]):
    return new_output("stream", name="stdout", text="\n".join(lines) + "\n")


def _points(value: float, count: int):
    return new_output("execute_result", data={"text/plain": f"{value:g}"},
                      execution_count=count)


class ScoreForms(NbGraderPreprocessor):
    """Grade form activities and show reflections from the handed-in answers file."""

    def preprocess(self, nb, resources):
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        try:
            self._answers, self._problem = read_answers(folder), ""
        except AnswersError as error:
            self._answers, self._problem = Answers(), str(error)
        self._folder = folder
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        meta = cell.metadata.get("nbgrader", {})
        scored = score_call(cell.source) if meta.get("grade") else None
        if scored:
            cell.outputs = self._scored(scored, float(meta.get("points", 0)),
                                        cell.get("execution_count"))
        elif meta.get("grade") and SCORE_CALL in cell.source:
            # A key that is not plain data is never run here, and never left to the kernel.
            cell.outputs = [_text(["This activity could not be graded: its key is not written "
                                   "as plain data. Tell the course author."]),
                            _points(0, cell.get("execution_count"))]
        elif (reflection_id := reflection_call(cell.source)) is not None:
            text = self._answers.reflection(reflection_id).strip()
            cell.outputs = [_text(["Reflection as handed in:", "",
                                   text or "(nothing was written in this box)"])]
        return cell, resources

    def _scored(self, scored, most: float, count):
        activity_id, key = scored
        try:
            activity = load_activity(activity_id, here=self._folder)
        except ActivityError as error:
            return [_text([f"This activity could not be graded: {error}"]), _points(0, count)]
        lines = [self._problem + " Your answers were scored as not given."] if self._problem else []
        if any(item.id not in key for item in activity.items):
            return [_text(["This activity's key is incomplete; tell the course author."]),
                    _points(0, count)]
        result = review_form(activity, self._answers.activity(activity_id), key=key)
        lines += result.lines()
        lines.append(f"{result.right} of {result.total} right.")
        return [_text(lines), _points(result.points(most), count)]
