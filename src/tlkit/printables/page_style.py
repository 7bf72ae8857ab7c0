"""The one print stylesheet every printable page shares, and the page around a body.

Every printable (protocol handouts, the observation form, the growth plan, the audit sheet,
the year plan, the readiness action plan, the portfolio, the cohort report) is one standalone
HTML document with its CSS inline and nothing fetched from outside, so it opens and prints the
same on a school network with no internet access. The rules all of them share live here: page
size and margins, type sizes, table rules, print colours, and the focus and link rules. A page
adds only what is its own through `page_html(..., css=...)`, which comes after these rules and
so wins where the two set the same thing.

Handouts shown inside a notebook (not a page of their own) take the same table rules scoped
to their own element with `fragment_style`.
"""

from __future__ import annotations

from html import escape

# A comment at the top of the shared rules: tests find it in every printable page.
MARKER = "tlkit-print-base"

FONT = 'system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'

# Table rules, written once: the page stylesheet uses them as they are, and `fragment_style`
# puts a scope in front of each selector.
_TABLE_RULES = (
    ("table", "width: 100%; border-collapse: collapse;"),
    ("th, td", "border: 1px solid #767676; padding: .25em .4em; text-align: left; "
               "vertical-align: top;"),
    ("th", "background: #eee;"),
    ("caption", "text-align: left; font-weight: 700; padding: .2em 0;"),
    ("td.num", "text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;"),
)


def _rules(scope: str = "") -> str:
    def scoped(selector: str) -> str:
        return ", ".join(f"{scope} {part.strip()}".strip() for part in selector.split(","))
    return "\n".join(f"{scoped(sel)} {{ {body} }}" for sel, body in _TABLE_RULES)


BASE_CSS = f"""/* {MARKER}: shared by every printable page (tlkit.printables.page_style) */
@page {{ size: auto; margin: 12mm; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ font-family: {FONT};
       font-size: 11pt; line-height: 1.3; color: #111; background: #fff; max-width: 60rem;
       margin: 1rem auto; padding: 0 1rem; }}
h1 {{ font-size: 1.6em; margin: 0 0 .2em; }}
h2 {{ font-size: 1.05em; margin: .8em 0 .3em; text-transform: uppercase; letter-spacing: .04em;
     color: #333; break-after: avoid; }}
h3 {{ font-size: 1.05em; margin: .7em 0 .2em; break-after: avoid; }}
p, ul, ol, dl {{ margin: .3em 0; }}
ul, ol {{ padding-left: 1.2em; }}
{_rules()}
img, svg {{ max-width: 100%; height: auto; }}
a {{ color: #0b57a4; }}
a:focus-visible, [tabindex]:focus-visible, summary:focus-visible {{
  outline: 3px solid #0b57a4; outline-offset: 2px; }}
.credit {{ font-size: .85em; color: #333; margin-top: .8em; border-top: 1px solid #767676;
          padding-top: .3em; }}
@media print {{
  body {{ margin: 0; padding: 0; max-width: none; }}
  a {{ color: inherit; text-decoration: none; }}
  tr, li, figure, .credit {{ break-inside: avoid; }}
}}
"""


def page_html(title: str, body: str, *, css: str = "", body_class: str = "",
              lang: str = "en") -> str:
    """A whole printable HTML page: the shared rules, then `css` (the page's own), and `body`
    (HTML, already escaped) inside <main>. `title` is plain text and is escaped here."""
    cls = f' class="{escape(body_class)}"' if body_class else ""
    return ("<!DOCTYPE html>\n"
            f'<html lang="{escape(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title>\n<style>\n{BASE_CSS}{css}</style></head>\n"
            f"<body{cls}><main>{body}</main></body></html>")


def fragment_style(scope: str, *, print_size: str = "10pt") -> str:
    """A <style> element with the shared table rules for a handout shown inside a notebook,
    each rule scoped to `scope` (a CSS selector such as ".tlkit-handout")."""
    return (f"<style>/* {MARKER} */\n{_rules(scope)}\n"
            f"@media print {{ {scope} {{ font-size: {print_size}; }} "
            f"{scope} tr {{ break-inside: avoid; }} }}</style>")
