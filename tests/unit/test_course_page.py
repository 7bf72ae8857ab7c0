"""start-here's course page lists every module in course order, with a link that opens it: the
workspace's folder list is alphabetical, so this is where a teacher finds the order."""

from __future__ import annotations

import json
import re

from support import ROOT

from tlkit.course.manifest import load_manifest


def test_the_course_page_links_every_module_in_order():
    entries = load_manifest(ROOT)
    first = entries[0].id
    cells = json.loads((ROOT / "modules" / first / f"{first}.ipynb").read_text("utf-8"))["cells"]
    [page] = [c for c in cells if c.get("metadata", {}).get("tlkit", {}).get("course_page")]
    text = "".join(page["source"])
    links = re.findall(r"^\d+\. \[(.+?)\]\(\.\./([\w-]+)/([\w-]+)\.ipynb\)", text, re.M)
    assert [(title, folder) for title, folder, _ in links] == [(e.title, e.id) for e in entries[1:]]
    assert all(folder == name for _, folder, name in links)
    assert re.search(rf"^1\. {re.escape(entries[0].title)} \(this page\)", text, re.M)
