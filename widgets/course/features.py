"""What a facilitator guide shows about a module's features of effective professional
development (section by section), and the link to the printable session audit sheet."""

from __future__ import annotations

import html

from tlkit.course.module import Module
from tlkit.practice.features import load_features
from tlkit.widgets.common import download_link


def features_table_html(module: Module) -> str:
    """A table: each section, its live minutes and the features it uses; then the features
    no section uses."""
    features = load_features()
    rows = "".join(
        f"<tr><td>{html.escape(s.title)}</td><td>{s.live_minutes}</td>"
        f"<td>{html.escape(', '.join(features.get(f).name for f in s.pd_features) or 'none')}"
        "</td></tr>" for s in module.sections)
    unused = [f.name for f in features.features if f.id not in module.pd_features]
    note = (f"No section uses: {', '.join(unused)}." if unused
            else "Every one of the seven features is used somewhere in the session.")
    return ("<div class='tlkit-pd-features' style='font-size:1.05em'><table>"
            "<caption style='text-align:left;font-weight:bold'>Features of effective "
            "professional development, section by section</caption><thead><tr>"
            "<th scope='col'>Section</th><th scope='col'>Live minutes</th>"
            "<th scope='col'>Features it uses</th></tr></thead>"
            f"<tbody>{rows}</tbody></table><p>{html.escape(note)}</p></div>")


def audit_sheet_link_html() -> str:
    """A download link holding the printable audit sheet itself (a data: URI), so it works
    with no server route and no outside request."""
    from tlkit.printables.audit_sheet import audit_sheet

    return download_link(audit_sheet(), "session-audit-sheet.html", "text/html",
                         "Download the one-page session audit sheet",
                         css_class="tlkit-audit-sheet-link", style="font-size:1.2em")
