"""axe-core in the browser tests: installed once from npm into <repo>/.cache/axe, injected into
the page under test from that file (never fetched by the page), then `axe.run()`.

Only critical and serious findings count. JupyterLab's and Voila's own findings are excused by
rule and CSS selector in the tests' allow-lists; everything else is the kit's to fix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from voila_pages import ROOT

AXE_DIR = ROOT / ".cache" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_PACKAGE = "axe-core@4"
SERIOUS = ("critical", "serious")


def axe_script() -> Path:
    """The path of axe.min.js, installing axe-core with npm the first time."""
    if AXE_JS.exists():
        return AXE_JS
    hint = ("the accessibility tests need Node.js and npm to install axe-core once: "
            "sudo apt-get install nodejs npm (or see https://nodejs.org)")
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"npm is missing on CI; {hint}")
        pytest.skip(hint)
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund",
                           "--prefix", str(AXE_DIR), AXE_PACKAGE],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not AXE_JS.exists():
        message = (f"`npm install {AXE_PACKAGE}` into {AXE_DIR} failed; {hint}\n"
                   f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS


def run_axe(page, context: str | None = None) -> list[dict]:
    """axe's violations on the page as it is now (optionally only inside `context`, a CSS
    selector), one dict per rule with `id`, `impact` and the failing `nodes`."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    # Each failing element is also marked `in_kit` when it sits inside one of the kit's
    # widgets (class tlkit-...): those are never excused by an allow-list.
    return page.evaluate(
        """async (context) => {
            const result = await axe.run(context ? {include: [context]} : document,
                                         {resultTypes: ['violations']});
            for (const rule of result.violations) {
                for (const node of rule.nodes) {
                    const target = node.target[node.target.length - 1];
                    let el = null;
                    try { el = typeof target === 'string' ? document.querySelector(target) : null; }
                    catch (e) { el = null; }
                    node.in_kit = !!(el && el.closest("[class*='tlkit-']"));
                }
            }
            return result.violations;
        }""",
        context)


# Less than serious in axe's terms, but found in the kit's own pages once: kept out for good.
ALSO_REFUSED = ("heading-order", "empty-table-header")


def also_refused(violations: list[dict]) -> list[str]:
    """The failing elements of the rules in ALSO_REFUSED, whatever their impact."""
    return [f"{rule['id']}: {' '.join(map(str, node['target']))}"
            for rule in violations if rule["id"] in ALSO_REFUSED for node in rule["nodes"]]


def findings(violations: list[dict]) -> list[tuple[str, str, str, bool]]:
    """(rule, impact, selector, in a kit widget) for every critical or serious failing
    element."""
    found = []
    for rule in violations:
        if rule["impact"] not in SERIOUS:
            continue
        for node in rule["nodes"]:
            selector = " ".join(map(str, node["target"]))
            found.append((rule["id"], node.get("impact") or rule["impact"], selector,
                          bool(node.get("in_kit"))))
    return found


def not_allowed(found, allowed: dict[str, tuple[str, ...]]):
    """The findings no allow-list entry excuses: `allowed` maps a rule to the selector
    fragments (JupyterLab's or Voila's own elements) it may fail on. A finding inside a kit
    widget is never excused."""
    return [finding for finding in found
            if finding[3] or not any(fragment in finding[2]
                                     for fragment in allowed.get(finding[0], ()))]


def describe(found) -> str:
    return "\n".join(f"  {rule} ({impact}){' in a kit widget' if kit else ''}: {selector}"
                     for rule, impact, selector, kit in found)
