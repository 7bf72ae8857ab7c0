"""Feedback pages that give away no answer and run nothing a learner wrote.

nbgrader's feedback page is the autograded notebook as HTML: the checks' cells as the course
wrote them (hidden tests put back), every output as the learner's code made it (HTML and
JavaScript included), MathJax from a public CDN. `FeedbackHTMLExporter` (named in
nbgrader_config.py as the feedback exporter, so the formgrader's feedback uses it too) makes
the page from a copy of the notebook in which:

- a check cell shows a line saying the checks are not shown, not its code; its errors show
  their one-line message, not the traceback (which quotes the hidden tests);
- hidden-test regions are removed from every cell;
- outputs keep only plain text and PNG/JPEG images (HTML, JavaScript, SVG, Markdown and widget
  outputs are shown as their plain-text form);
- the learner's Markdown is shown as text: any HTML in it appears as typed;

and the page itself carries a Content-Security-Policy that lets no script run and no outside
resource load, and no <script> element at all (so nothing is fetched from a CDN).
"""

from __future__ import annotations

import copy
import html
import re

from nbconvert.exporters import HTMLExporter

CHECKS_HIDDEN = "# The checks of this answer are not shown."
_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?",
                     re.DOTALL | re.MULTILINE)
_KEPT_OUTPUT = ("text/plain", "image/png", "image/jpeg")
SAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")
# No script, no outside request: styles and images only from the page itself.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
       "base-uri 'none'; form-action 'none'")
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
_SCRIPT = re.compile(r"<script\b.*?</script\s*>|<script\b[^>]*/?>", re.DOTALL | re.IGNORECASE)
_OUTSIDE_LINK = re.compile(r"<link\b[^>]*\bhref=[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)


def _is_check(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")


def plain_output(output):
    """An output as its plain text (and a checked PNG/JPEG image): nothing a page runs."""
    kind = output.get("output_type")
    if kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        # An image goes into an attribute as it is: only real base64 may.
        kept = {k: v for k, v in data.items() if k in _KEPT_OUTPUT
                and (k == "text/plain" or (isinstance(v, str) and _BASE64.fullmatch(v)))}
        if "text/plain" not in kept and not kept:
            kept["text/plain"] = "(an output that is not text, not shown)"
        output["data"] = kept
        output["metadata"] = {}
    return output


def plain_notebook(nb):
    """Every code cell's outputs as plain text (and checked images); no widget state."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = [plain_output(o) for o in cell.get("outputs", [])]
    nb.metadata.pop("widgets", None)
    return nb


def without_keys(nb):
    """A copy of an autograded notebook that is safe to show its learner (see module notes)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        grading = meta.get("nbgrader")
        if isinstance(grading, dict):
            if "grade_id" in grading:
                grading["grade_id"] = SAFE_ID.sub("-", str(grading["grade_id"]))
            if isinstance(grading.get("comment"), str):  # rendered as Markdown, like a cell
                grading["comment"] = html.escape(grading["comment"], quote=False)
        source = _HIDDEN.sub("", cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            # Shown as typed: HTML written in a reflection is text, never markup.
            source = html.escape(source, quote=False)
            cell.pop("attachments", None)
        elif cell.get("cell_type") == "raw":
            source = ""
        if _is_check(cell):
            source = CHECKS_HIDDEN
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', '')}: {output.get('evalue', '')}"]
        cell.source = source
    return plain_notebook(nb)


def harden_page(page: str) -> str:
    """No script element, no outside stylesheet, and a policy that would block any left."""
    page = _SCRIPT.sub("", page)
    page = _OUTSIDE_LINK.sub("", page)
    head = re.search(r"<head[^>]*>", page, re.IGNORECASE)
    if head:
        return page[:head.end()] + "\n" + CSP_META + page[head.end():]
    return CSP_META + page


# nbgrader's page template shows every score through a number filter, so an answer nobody has
# graded yet reads "Score: 0.0 / 3.0". Such a cell gets this score instead, and the page is
# then rewritten to say "not graded yet" where it appears.
_UNGRADED = 987654.32
_UNGRADED_SCORE = re.compile(r"Score: 987654\.32 / ([\d.]+)")
_TOTAL = re.compile(r"(<h4>[^<]*)\(Score: ")


def _ungraded_ids(resources) -> set[str]:
    """grade_ids of this learner's answers waiting for a facilitator's grade."""
    info = (resources or {}).get("nbgrader") or {}
    if not all(info.get(k) for k in ("db_url", "notebook", "assignment", "student")):
        return set()
    from nbgrader.api import Gradebook, MissingEntry

    try:
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"],
                                                   info["student"])
            return {g.name for g in notebook.grades if g.manual_score is None
                    and (g.needs_manual_grade or g.auto_score is None)}
    except MissingEntry:
        return set()


def mark_ungraded(nb, ungraded: set[str]):
    for cell in nb.cells:
        grading = cell.get("metadata", {}).get("nbgrader")
        if isinstance(grading, dict) and grading.get("grade_id") in ungraded:
            grading["score"] = _UNGRADED
    return nb


def say_not_graded(page: str, ungraded: int) -> str:
    page = _UNGRADED_SCORE.sub(r"not graded yet, out of \1", page)
    if ungraded:
        page = _TOTAL.sub(rf"\1(not graded yet: {ungraded} written answer(s); score so far: ",
                          page, count=1)
    return page


class FeedbackHTMLExporter(HTMLExporter):
    """nbgrader's feedback page, without keys and without scripts (see the module's notes)."""

    def _preprocess(self, nb, resources):
        # After nbgrader's own steps (GetGrades puts the scores and comments in).
        nb, resources = super()._preprocess(nb, resources)
        ungraded = _ungraded_ids(resources)
        resources["tlkit_ungraded"] = len(ungraded)
        return without_keys(mark_ungraded(nb, ungraded)), resources

    def from_notebook_node(self, nb, resources=None, **kw):
        page, resources = super().from_notebook_node(nb, resources, **kw)
        page = say_not_graded(page, resources.get("tlkit_ungraded", 0))
        return harden_page(page), resources
