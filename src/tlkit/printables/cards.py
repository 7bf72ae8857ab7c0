"""Short handouts a facilitator guide shows on the page and offers as a page to print: the
start-here quick card and the portfolio module's steps for meeting a principal.

Their words live here, not in the guides' Markdown, so the page shown and the page printed are
one text. Each is a fragment with the shared table rules (`fragment_style`); `handout_page`
makes it a page of its own.
"""

from __future__ import annotations

from html import escape

from tlkit.printables.page_style import fragment_style, page_html

# (what a teacher wants to do, what to press or choose); **...** marks a control's name.
QUICK_CARD = (
    ("Run a cell", "Click it, then **Shift + Enter**"),
    ("Answer an activity", "Choose or type in its form, then press **Check my answers**"),
    ("Write a reflection", "Type in the box under the question; it is kept as you type"),
    ("Save", "**Ctrl + S** (**Cmd + S** on a Mac)"),
    ("See what is still blank before handing in",
     "**Validate** in the toolbar, or **Check my answers** in a form"),
    ("Hand in", "**Hand in this module** at the end of the module; hand in again to replace "
                "it"),
    ("See feedback after grading", "**Get my feedback** at the end of the module, then open "
                                   "its link"),
    ("A widget says \"model not found\", or the kernel restarted", "**Run > Run All Cells**"),
    ("A star [*] stays and nothing happens",
     "**Kernel > Restart Kernel**, then **Run > Run All Cells**"),
    ("An answer seems lost", "Run the cell of its form or box again (or **Run > Run All "
                             "Cells**): answers come back from my-answers.json"),
)

PRINCIPAL_STEPS = (
    "Send the printable page a few days ahead, with your introduction on top.",
    "Start with the piece that shows your growth best, and say why.",
    "Name one gap from your readiness plan that the principal could act on.",
    "Ask for one specific support for next year's goal (time, a release day, a partner).",
    "Agree when you will look at the plan together again.",
)


def _bold(text: str) -> str:
    """Escaped text with **...** as <strong>."""
    parts = escape(text).split("**")
    return "".join(f"<strong>{part}</strong>" if i % 2 else part for i, part in enumerate(parts))


def quick_card_html() -> str:
    rows = "".join(f"<tr><td>{escape(task)}</td><td>{_bold(how)}</td></tr>"
                   for task, how in QUICK_CARD)
    return ("<section class='tlkit-quick-card'>" + fragment_style(".tlkit-quick-card")
            + "<h3>Quick card: working in the course</h3><table><thead><tr>"
            "<th scope='col'>To do this</th><th scope='col'>Press or choose</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>")


def principal_handout_html() -> str:
    steps = "".join(f"<li>{escape(step)}</li>" for step in PRINCIPAL_STEPS)
    return ("<section class='tlkit-principal-handout'>"
            "<h3>Sharing your portfolio with your principal</h3>"
            f"<ol>{steps}</ol></section>")


def handout_page(title: str, fragment: str) -> str:
    """A handout shown in a guide as a whole printable page of its own."""
    return page_html(title, fragment)
