"""What a learner could put into their notebook's outputs or metadata never becomes markup or
script on their feedback page (tlkit.ops.feedback), checked without a kernel."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tlkit.ops.feedback import CHECKS_HIDDEN, CSP_META, harden_page, without_keys


def _notebook():
    nb = new_notebook()
    check = new_code_cell("assert x == 1\n### BEGIN HIDDEN TESTS\nassert x * 2 == 2\n"
                          "### END HIDDEN TESTS", outputs=[new_output(
                              "error", ename="AssertionError", evalue="x should be 1",
                              traceback=["Traceback", "assert x * 2 == 2  # the key"])])
    check.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "c1",
                                  "points": 1}
    answer = new_code_cell("x = 1\n### BEGIN HIDDEN TESTS\nsecret = 3\n### END HIDDEN TESTS\n",
                           outputs=[new_output("display_data", data={
                               "text/html": "<script>alert(1)</script>",
                               "application/javascript": "alert(2)",
                               "image/png": 'AAAA" onerror="alert(3)',
                               "text/plain": "<HTML object>"})])
    answer.metadata["nbgrader"] = {"solution": True, "grade_id": 'a" onmouseover="x',
                                   "comment": "<meta http-equiv=refresh content=0;url=x>"}
    nb.cells = [check, answer, new_markdown_cell("<iframe src=x></iframe> *fine*")]
    return nbformat.from_dict(nb)


def test_checks_hidden_tests_and_learner_markup_are_gone():
    nb = without_keys(_notebook())
    check, answer, text = nb.cells
    assert check.source == CHECKS_HIDDEN
    assert check.outputs[0]["traceback"] == ["AssertionError: x should be 1"]
    assert "secret" not in answer.source and answer.source.startswith("x = 1")
    assert answer.outputs[0]["data"] == {"text/plain": "<HTML object>"}
    assert answer.metadata["nbgrader"]["grade_id"] == "a--onmouseover--x"
    assert "<meta" not in answer.metadata["nbgrader"]["comment"]
    assert text.source.startswith("&lt;iframe")


def test_a_page_gets_the_policy_first_and_loses_its_scripts():
    page = harden_page('<html><head><script src="https://cdn.example/mathjax.js"></script>'
                       '<link rel="stylesheet" href="https://cdn.example/x.css"></head>'
                       "<body><script>\nalert(1)\n</script></body></html>")
    assert page.startswith("<html><head>\n" + CSP_META)
    assert "<script" not in page and "cdn.example" not in page
