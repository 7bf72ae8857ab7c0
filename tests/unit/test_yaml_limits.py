"""Every YAML file the kit reads goes through the one protected reader (tlkit.content.loader):
no anchors or aliases, a size limit and a depth limit, so a hostile or broken course.yaml or
activity file is refused with a sentence within moments, never left to fill the memory."""

from __future__ import annotations

import re
import time

import pytest
from support import ROOT

from tlkit.content.loader import MAX_DEPTH
from tlkit.course.checks import ActivityError, load_activity
from tlkit.course.manifest import ManifestError, load_manifest

LOADER = ROOT / "src" / "tlkit" / "content" / "loader.py"
YAML_READS = re.compile(r"yaml\.(\w*load\w*|compose\w*|parse|scan)\(|safe_load|full_load|"
                        r"unsafe_load|(Safe|Full|Unsafe|Base)Loader\b|from yaml import")

ALIAS_BOMB = "\n".join(['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
                       + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},"
                          f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]"
                          for i in range(9)]) + "\n"
DEEP_BLOCK = "".join("  " * i + "- \n" for i in range(1, 400))   # 400 levels, under the size limit
DEEP_FLOW = "[" * 3000 + "]" * 3000 + "\n"


def test_no_module_but_the_loader_reads_yaml():
    found = []
    for folder in ("src", "widgets", "facilitator", "modules"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == LOADER:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if YAML_READS.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "read YAML with tlkit.content.loader (read, load or read_yaml):\n" + \
        "\n".join(found)


def _course(tmp_path, text):
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "course.yaml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("text, said", [(ALIAS_BOMB, "anchor or alias"),
                                        ("modules:\n" + DEEP_BLOCK, f"more than {MAX_DEPTH} levels"),
                                        ("modules: " + DEEP_FLOW, f"more than {MAX_DEPTH} levels"),
                                        ("modules:\n" + "  - x\n" * 200_000, "KB")])
def test_a_hostile_course_manifest_is_refused_quickly_with_a_sentence(tmp_path, text, said):
    started = time.monotonic()
    with pytest.raises(ManifestError) as caught:
        load_manifest(_course(tmp_path, text))
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert said in message and "course.yaml" in message and "Fix:" in message
    assert "Traceback" not in message and "yaml." not in message


@pytest.mark.parametrize("text, said", [(ALIAS_BOMB, "anchor or alias"),
                                        ("id: deep\nitems:\n" + DEEP_BLOCK, f"{MAX_DEPTH} levels"),
                                        ("id: deep\nitems: " + DEEP_FLOW, f"{MAX_DEPTH} levels")])
def test_a_hostile_activity_file_is_refused_quickly_with_a_sentence(tmp_path, text, said):
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "hostile-check.yaml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ActivityError) as caught:
        load_activity("hostile-check", here=tmp_path)
    assert time.monotonic() - started < 5
    assert said in str(caught.value) and "hostile-check.yaml" in str(caught.value)


def test_the_shipped_course_and_activities_are_within_the_limits():
    assert load_manifest(ROOT)
    for path in sorted((ROOT / "src" / "tlkit" / "content" / "activities").glob("*.yaml")):
        load_activity(path.stem)
