"""What the formgrader shows of a hand-in: the learner's words as text, never their markup.

The formgrader (`tlkit course lab`, Manual Grading) shows each autograded notebook as HTML in
the coordinator's own Jupyter session, where a script could do anything the coordinator can
(write files through the contents API, change grades). A learner writes that notebook, so:

- `PlainOutputs`, an autograde step (nbgrader_config.py), keeps only the plain-text form of
  every output (and checked PNG/JPEG images) in the autograded notebook: HTML, JavaScript,
  SVG, Markdown and widget outputs are gone before anything shows them. The kit's widgets'
  outputs are not needed for grading; form scores and reflections are plain text already.
- `SafeSubmission` does the same again while the formgrader draws a page (for a notebook
  graded before this step existed) and makes grade ids safe to put in an attribute.
- `markdown_as_text` replaces nbconvert's Markdown filter there: Markdown is rendered, then
  only plain formatting survives and any other HTML in it shows as typed (no script, no event
  attribute, links only to web or mail addresses, images only from the page's own server).

nbgrader_config.py also sends no maths renderer from a CDN, and the formgrader's pages get a
Content-Security-Policy (tlkit.serve.formgrader_policy).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import NbGraderPreprocessor

from tlkit.ops.feedback import SAFE_ID, plain_notebook

# The tags plain Markdown makes; everything else a learner typed is shown as text.
_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "code",
         "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr",
         "th", "td", "span", "div", "sup", "sub"}
_LINKS = {"", "http", "https", "mailto"}
_IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*\Z")


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a" and name in ("href", "title"):
        return name == "title" or urlsplit(value.strip()).scheme.lower() in _LINKS
    if tag == "img" and name in ("alt", "title"):
        return True
    if tag == "img" and name == "src":
        # The page's own server or an inline picture: no request leaves the computer.
        scheme = urlsplit(value.strip()).scheme
        return (not scheme and not value.strip().startswith("//")) or \
            bool(_IMAGE_DATA.match(value.strip()))
    return tag in ("th", "td") and name == "align"


def clean(html: str) -> str:
    """Only plain formatting: anything else is shown as text (bleach escapes it)."""
    import bleach

    return bleach.clean(html, tags=_TAGS, attributes=_attribute_allowed,
                        protocols=["http", "https", "mailto", "data"], strip_comments=True)


def markdown_as_text(source: str) -> str:
    """A Jinja filter in place of nbconvert's markdown2html (nbgrader_config.py)."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    # HTML in the Markdown passes the renderer and is then cleaned: a tag that is not plain
    # formatting shows as typed. (Escaping it here too would show the feedback page's
    # already-escaped text as entities.)
    renderer = IPythonRenderer(escape=False, attachments={}, exclude_anchor_links=True)
    return clean(MarkdownWithMath(renderer=renderer).render(str(source)))


class PlainOutputs(NbGraderPreprocessor):
    """Autograde step: the autograded notebook keeps only plain outputs (module notes)."""

    def preprocess(self, nb, resources):
        return plain_notebook(nb), resources


class SafeSubmission(Preprocessor):
    """While the formgrader draws a hand-in: plain outputs, and grade ids that cannot leave
    the attribute they are written into."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            grading = cell.get("metadata", {}).get("nbgrader")
            if isinstance(grading, dict) and "grade_id" in grading:
                grading["grade_id"] = SAFE_ID.sub("-", str(grading["grade_id"]))
        return plain_notebook(nb), resources
