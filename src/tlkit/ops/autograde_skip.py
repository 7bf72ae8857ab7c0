"""While autograding, do not run cells that only show a widget.

A module notebook shows its exercises as widgets (`from tlkit.widgets import activity_widget`
then `activity_widget(...)`). No graded cell needs them, yet running them (ipywidgets and the
widget's own imports, in a fresh kernel per submission) costs most of a submission's grading
time. This nbgrader preprocessor, placed before `Execute` in the autograde chain
(nbgrader_config.py), tags such cells `skip-execution`, which the notebook runner honours.

Only cells made of nothing but imports from tlkit.widgets and bare calls of the names imported
there are skipped; a cell that assigns, prints or does anything else runs as usual, and cells
nbgrader grades or locks always run.
"""

from __future__ import annotations

import ast

from nbgrader.preprocessors import NbGraderPreprocessor

SKIP_TAG = "skip-execution"
WIDGET_PACKAGE = "tlkit.widgets"


def widget_only(source: str) -> bool:
    """True when `source` only imports from tlkit.widgets and calls what it imported."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    names: set[str] = set()
    calls = 0
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module == WIDGET_PACKAGE or node.module.startswith(WIDGET_PACKAGE + ".")):
            names.update(alias.asname or alias.name for alias in node.names)
        elif (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
              and isinstance(node.value.func, ast.Name) and node.value.func.id in names):
            calls += 1
        else:
            return False
    return calls > 0


class SkipWidgetCells(NbGraderPreprocessor):
    """Tag widget-only cells so autograde's notebook runner skips them."""

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if (cell.cell_type == "code" and not meta.get("grade") and not meta.get("solution")
                and not meta.get("locked") and widget_only(cell.source)):
            tags = list(cell.metadata.get("tags", []))
            if SKIP_TAG not in tags:
                cell.metadata["tags"] = tags + [SKIP_TAG]
        return cell, resources
