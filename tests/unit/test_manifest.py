"""modules/course.yaml is the one rule for what a module is, and the order of the course:
the manifest loader, the course model and the release all answer the same way."""

from __future__ import annotations

import json

import pytest

from tlkit.course.manifest import (ManifestError, add_module, course_modules, load_manifest,
                                   module_ids)
from tlkit.course.module import ModuleError, list_modules, load_module
from tlkit.ops import release
from tlkit.ops.release import ReleaseError


def make_course(root, entries, folders=None):
    """entries: ids listed in the manifest, in order; folders: ids given modules/<id>/<id>.ipynb
    (default: the same ids)."""
    modules = root / "modules"
    modules.mkdir(parents=True, exist_ok=True)
    lines = ["modules:"] + [f"  - id: {slug}\n    title: Module {slug}\n    session_minutes: 10"
                            for slug in entries]
    (modules / "course.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for slug in entries if folders is None else folders:
        write_notebook(root, slug)
    return root


def write_notebook(root, slug, name=None):
    folder = root / "modules" / slug
    folder.mkdir(parents=True, exist_ok=True)
    cells = [{"cell_type": "markdown", "id": "a1", "source": "## Only\n\n"
              "*Self-study about 5 minutes · live session 10 minutes*",
              "metadata": {"tlkit": {"section": "Only", "self_study_minutes": 5,
                                     "live_minutes": 10}}}]
    notebook = {"cells": cells, "metadata": {"tlkit": {"module": slug, "objectives": ["o"]}},
                "nbformat": 4, "nbformat_minor": 5}
    (folder / f"{name or slug}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")


def test_order_is_the_manifest_order_everywhere(tmp_path):
    make_course(tmp_path, ["zeta-team", "alpha-roles", "middle"])
    expected = ["zeta-team", "alpha-roles", "middle"]  # not alphabetical
    assert module_ids(tmp_path) == expected
    assert [entry.id for entry in course_modules(tmp_path)] == expected
    assert list_modules(tmp_path) == expected
    assert release.module_ids(tmp_path) == expected
    assert load_module("alpha-roles", root=tmp_path).title == "Module alpha-roles"


def test_a_folder_the_manifest_does_not_list_is_named_with_the_fix(tmp_path):
    make_course(tmp_path, ["protocols"], folders=["protocols", "coaching"])
    with pytest.raises(ManifestError) as err:
        course_modules(tmp_path)
    message = str(err.value)
    assert "modules/coaching/" in message and "course.yaml does not list it" in message
    assert "Add it to course.yaml" in message and "move the folder out of modules/" in message
    # The course model and the release refuse with the same sentence, not a different rule.
    with pytest.raises(ModuleError, match="modules/coaching/"):
        list_modules(tmp_path)
    with pytest.raises(ModuleError, match="modules/coaching/"):
        load_module("protocols", root=tmp_path)
    with pytest.raises(ReleaseError, match="cannot be released yet:\n.*modules/coaching/"):
        release.module_ids(tmp_path)


def test_hidden_and_underscore_folders_are_not_modules(tmp_path):
    make_course(tmp_path, ["protocols"])
    (tmp_path / "modules" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "modules" / "__pycache__").mkdir()
    assert list_modules(tmp_path) == ["protocols"]


def test_an_entry_without_its_notebook_is_named_with_the_fix(tmp_path):
    make_course(tmp_path, ["protocols", "coaching"], folders=["protocols"])
    with pytest.raises(ManifestError) as err:
        course_modules(tmp_path)
    message = str(err.value)
    assert "lists the module 'coaching'" in message
    assert "no modules/coaching/coaching.ipynb" in message
    assert "remove the entry from course.yaml" in message
    with pytest.raises(ReleaseError, match="coaching"):
        release.module_ids(tmp_path)


def test_a_notebook_named_unlike_its_folder_is_named_with_the_rename(tmp_path):
    make_course(tmp_path, ["coaching"], folders=[])
    write_notebook(tmp_path, "coaching", name="Coaching draft")
    with pytest.raises(ManifestError) as err:
        course_modules(tmp_path)
    assert "holds Coaching draft.ipynb: rename the module's notebook to coaching.ipynb" in str(
        err.value)


def test_every_problem_is_listed_at_once(tmp_path):
    make_course(tmp_path, ["protocols", "missing"], folders=["protocols", "extra"])
    message = str(pytest.raises(ManifestError, course_modules, tmp_path).value)
    assert "'missing'" in message and "modules/extra/" in message


def test_a_duplicate_id_is_refused(tmp_path):
    make_course(tmp_path, ["protocols"])
    path = tmp_path / "modules" / "course.yaml"
    path.write_text(path.read_text() + "  - id: protocols\n    title: Again\n"
                    "    session_minutes: 5\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="'protocols' is listed twice"):
        load_manifest(tmp_path)
    with pytest.raises(ModuleError, match="listed twice"):
        list_modules(tmp_path)
    with pytest.raises(ReleaseError, match="listed twice"):
        release.module_ids(tmp_path)


def test_a_manifest_that_is_not_valid_yaml_gets_a_sentence_not_a_traceback(tmp_path):
    make_course(tmp_path, ["protocols"])
    path = tmp_path / "modules" / "course.yaml"
    path.write_text("modules:\n  - id: protocols\n   title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        load_manifest(tmp_path)
    assert "course.yaml" in str(err.value) and "line" in str(err.value)
    with pytest.raises(ReleaseError, match="course.yaml"):
        release.module_ids(tmp_path)


def test_a_module_not_in_the_manifest_is_not_loaded(tmp_path):
    make_course(tmp_path, ["protocols"])
    with pytest.raises(ModuleError, match="no module called 'other'; modules/course.yaml lists: "
                                          "protocols"):
        load_module("other", root=tmp_path)


def test_add_module_then_its_notebook_makes_a_module(tmp_path):
    # The order a template follows: the folder may exist before its entry, and the other way.
    make_course(tmp_path, ["protocols"])
    add_module("coaching", "Coaching: first steps", 60, root=tmp_path)
    with pytest.raises(ManifestError, match="no modules/coaching/coaching.ipynb"):
        course_modules(tmp_path)
    write_notebook(tmp_path, "coaching")
    assert list_modules(tmp_path) == ["protocols", "coaching"]


def test_the_real_course_follows_the_rule(root):
    listed = module_ids(root)
    assert listed == list_modules(root) == release.module_ids(root)
    on_disk = sorted(p.name for p in (root / "modules").iterdir()
                     if p.is_dir() and not p.name.startswith((".", "_")))
    assert sorted(listed) == on_disk
    for entry in load_manifest(root):
        module = load_module(entry.id, root=root)
        assert (module.title, module.session_minutes) == (entry.title, entry.session_minutes)
