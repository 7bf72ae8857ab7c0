"""A printable one-page session audit sheet: the seven features of effective professional
development with what each looks like, a blank table to audit a session by hand, and the active
share sum. One standalone page on the shared print stylesheet (page_style), nothing fetched from outside."""

from __future__ import annotations

from html import escape

from tlkit.practice.features import load_features
from tlkit.printables.page_style import page_html

ROWS = 8    # blank segment rows: a typical session has five to eight

# This sheet's own rules; the rest is the shared print stylesheet (page_style).
_CSS = """
body { font-size: 10.5pt; }
td.blank { height: 1.9em; }
"""


def audit_sheet(title: str = "Session audit") -> str:
    features = load_features()
    feature_rows = "".join(f"<tr><th scope='row'>{escape(f.name)}</th>"
                           f"<td>{escape(f.looks_like)}</td></tr>" for f in features.features)
    blank = "".join("<tr>" + "<td class='blank'></td>" * 4 + "</tr>" for _ in range(ROWS))
    return page_html(title, f"""
<h1>{escape(title)}</h1>
<p>List a session's segments in order. For each, write its minutes, whether participants are
<b>active</b> (they do, make, try or discuss something) or <b>listening or watching</b>, and the
features it serves.</p>
<h2>The seven features</h2>
<table><thead><tr><th scope="col">Feature</th><th scope="col">What it looks like in a session</th></tr></thead>
<tbody>{feature_rows}</tbody></table>
<h2>The session</h2>
<table><thead><tr><th scope="col">Segment</th><th scope="col">Minutes</th>
<th scope="col">Active, or listening or watching?</th><th scope="col">Features served</th></tr></thead>
<tbody>{blank}</tbody></table>
<p><b>Share of active minutes</b> = active minutes ÷ all minutes × 100 = ______ %.
<b>Features no segment serves:</b> ____________________________________________</p>
<p><b>One change that adds a missing feature:</b> ____________________________________________</p>
<p class="credit">The seven features: {escape(features.source)}</p>
""", css=_CSS)
