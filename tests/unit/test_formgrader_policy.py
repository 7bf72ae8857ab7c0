"""The formgrader's policy allows nbgrader's own inline scripts by hash and nothing a learner
put in the notebook (tlkit.serve.formgrader_policy), checked without a server."""

from __future__ import annotations

from types import SimpleNamespace

from tlkit.serve.formgrader_policy import (HAND_IN_FILE_POLICY, NOTEBOOK_START,
                                           FormgraderPolicy, _hash, page_policy)

_OWN = "var submission_id = 'a';"
_PAGE = (f"<head><script>{_OWN}</script><script src='/x.js'></script></head><body>"
         "<span onclick=\"toggle_name(true);\"></span>"
         f"{NOTEBOOK_START} class='x'><script>window.__pwned=1</script>"
         "<img src=x onerror=\"window.__pwned=2\"></div></body>")


def test_only_the_scripts_and_handlers_before_the_notebook_are_allowed():
    policy = page_policy(_PAGE)
    assert _hash(_OWN) in policy and _hash("toggle_name(true);") in policy
    assert _hash("window.__pwned=1") not in policy and _hash("window.__pwned=2") not in policy
    assert "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "'unsafe-eval'" not in policy and "default-src 'none'" in policy


def _headers(path: str, content_type: str = "text/html; charset=UTF-8", body: str = _PAGE):
    transform = FormgraderPolicy(SimpleNamespace(path=path))
    headers = {"Content-Type": content_type}
    transform.transform_first_chunk(200, headers, body.encode(), True)
    return headers


def test_pages_files_and_other_responses_get_the_right_policy():
    assert _headers("/formgrader/submissions/abc/")["Content-Security-Policy"] == \
        page_policy(_PAGE)
    for path in ("/formgrader/submissions/abc/page.html", "/formgrader/submissions/abc/a/b.svg"):
        assert _headers(path, "image/svg+xml")["Content-Security-Policy"] == HAND_IN_FILE_POLICY
    assert "Content-Security-Policy" not in _headers("/lab/tree/x.ipynb")
    assert "Content-Security-Policy" not in _headers("/formgrader/api/grades", "application/json")
