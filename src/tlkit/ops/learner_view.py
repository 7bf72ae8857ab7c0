"""In the learner's copy, code a teacher does not type is folded away.

A module notebook shows its widgets, its activity forms and its reflection boxes through code
cells (`from tlkit.widgets import …`, `ActivityForm("…")`, `ReflectionBox("…")`). Teachers need
what those cells show, not the code: they answer in the forms and boxes, never in code. This
nbgrader preprocessor, early in the release chain (nbgrader_config.py), marks every code cell
that is not an answer cell with JupyterLab's `"jupyter": {"source_hidden": true}`: the cell
still runs and shows its output, and its code stays one click away. The kit's modules have no
answer cells, so a learner's copy of them shows no code at all; a course's own module may still
ask for code answers (nbgrader `solution` cells), and those stay open, since a teacher types in
them.

A folded cell still shows its first line beside the "…" (JupyterLab's placeholder), so the
code is made to start with a blank line: the placeholder then shows the "…" alone. This runs
before nbgrader locks cells and computes checksums, so the gradebook holds exactly the cells
learners receive.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor


def is_answer_cell(cell) -> bool:
    """A cell the learner types in: nbgrader marks it `solution`."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def hides_code(cell) -> bool:
    """True for a code cell a teacher only runs (a widget, a check, a demonstration)."""
    return cell.get("cell_type") == "code" and not is_answer_cell(cell)


def visible_code_lines(cell) -> int:
    """Lines of code a learner sees in this cell: none once its input is hidden."""
    if cell.get("cell_type") != "code":
        return 0
    if cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
        return 0
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    return len([line for line in source.splitlines() if line.strip()])


class HideCode(NbGraderPreprocessor):
    """Fold away the input of every code cell that is not an answer cell."""

    def preprocess_cell(self, cell, resources, index):
        if hides_code(cell):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            if cell.source.split("\n", 1)[0].strip():
                cell.source = "\n" + cell.source
        return cell, resources


def placeholder_text(cell) -> str:
    """What JupyterLab shows beside the "…" of a folded cell: its first line."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    return source.split("\n", 1)[0]
