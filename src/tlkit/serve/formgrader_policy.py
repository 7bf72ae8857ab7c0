"""A Content-Security-Policy for nbgrader's formgrader pages in the facilitator's JupyterLab.

The formgrader draws a learner's autograded notebook inside a page of the coordinator's own
Jupyter session. tlkit.ops.formgrade_view already shows everything a learner wrote as text;
this policy is the second wall: only the formgrader's own scripts run, nothing loads from
outside the computer.

nbgrader's pages use inline scripts and a few `onclick` attributes, so the policy cannot simply
forbid inline script. Instead each page is read as it is sent: the inline scripts and event
attributes written before the notebook starts (`<div id="notebook"`: nbgrader's template, not
the learner) are allowed by their SHA-256 hashes, and nothing else. A script or `onerror`
that a learner got into the notebook has no hash in the policy and does not run. Files that a
hand-in carries, which the formgrader serves beside a submission, get a policy that lets no
script run at all (`sandbox`).

Enabled as a Jupyter server extension in the facilitator's settings
(content/jupyter/facilitator-config).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

from tornado.web import OutputTransform

# Where nbgrader's formgrade template starts the learner's notebook.
NOTEBOOK_START = '<div id="notebook"'
_FORMGRADER = re.compile(r"/formgrader(?:/|$)")
_NAVIGATION = {"next", "prev", "next_incorrect", "prev_incorrect"}
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>",
                            re.DOTALL | re.IGNORECASE)
_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)

HAND_IN_FILE_POLICY = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
                       "sandbox")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page_policy(page: str) -> str:
    """The policy for one formgrader page: its own inline scripts and handlers, no others."""
    own = page.split(NOTEBOOK_START, 1)[0]
    scripts = sorted({_hash(body) for body in _INLINE_SCRIPT.findall(own)})
    handlers = sorted({_hash(html.unescape(a or b)) for a, b in _HANDLER.findall(own)})
    script_src = " ".join(["'self'", *scripts, *(["'unsafe-hashes'", *handlers]
                                                  if handlers else [])])
    return ("default-src 'none'; "
            f"script-src {script_src}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'self'")


class FormgraderPolicy(OutputTransform):
    """Sets the policy on every formgrader response (tornado calls it for each response)."""

    def __init__(self, request):
        super().__init__(request)
        self._path = request.path

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if not _FORMGRADER.search(self._path):
            return status_code, headers, chunk
        if self._is_file():
            headers["Content-Security-Policy"] = HAND_IN_FILE_POLICY
        elif headers.get("Content-Type", "").startswith("text/html"):
            # A page sent in pieces or compressed cannot be read whole: it gets no inline script.
            whole = finishing and not headers.get("Content-Encoding")
            headers["Content-Security-Policy"] = page_policy(
                chunk.decode("utf-8", "replace") if whole else "")
        return status_code, headers, chunk

    def _is_file(self) -> bool:
        # /formgrader/submissions/<id>/ is the page itself, .../next and the like redirect;
        # anything else below it is a file from the hand-in's folder.
        tail = self._path.split("/formgrader/submissions/", 1)
        parts = tail[1].strip("/").split("/", 1) if len(tail) == 2 else []
        return len(parts) == 2 and parts[0] != "components" and parts[1] not in _NAVIGATION


def _jupyter_server_extension_points():
    return [{"module": "tlkit.serve.formgrader_policy"}]


def _load_jupyter_server_extension(serverapp):
    serverapp.web_app.add_transform(FormgraderPolicy)
