"""The seven features of effective professional development: one content file, read by the
course model from each section's heading metadata, and used by every module."""

from __future__ import annotations

import json
import shutil

import pytest

from tlkit.course.module import ModuleError, list_modules, load_module
from tlkit.practice.features import LEAST_PER_MODULE, feature_ids, load_features

SEVEN = ["content-focused", "active-learning", "collaboration", "modelling", "coaching",
         "feedback-reflection", "sustained"]


def test_the_features_file_holds_the_seven_features_with_a_source():
    features = load_features()
    assert list(feature_ids()) == SEVEN
    assert "Darling-Hammond" in features.source and "2017" in features.source
    assert all(f.name and f.meaning and f.looks_like and f.suggestion for f in features.features)


@pytest.mark.parametrize("module", list_modules())
def test_every_module_uses_at_least_five_different_features(module):
    used = load_module(module).pd_features
    assert len(used) >= LEAST_PER_MODULE, (
        f"{module} marks only {list(used)} in its sections' \"pd_features\"; a module uses at "
        f"least {LEAST_PER_MODULE} of: {', '.join(SEVEN)}")


def test_the_protocols_module_marks_every_section():
    module = load_module("protocols")
    assert all(section.pd_features for section in module.sections)


@pytest.fixture
def course(tmp_path, root):
    """A throwaway course holding a copy of the protocols module, to break on purpose."""
    (tmp_path / "modules" / "protocols").mkdir(parents=True)
    shutil.copy(root / "modules" / "protocols" / "protocols.ipynb",
                tmp_path / "modules" / "protocols")
    (tmp_path / "modules" / "course.yaml").write_text(
        "schema_version: 1\nmodules:\n  - id: protocols\n    title: Protocols\n"
        "    session_minutes: 120\n", encoding="utf-8")
    return tmp_path


def _set_features(course, value, section: int = 0):
    path = course / "modules" / "protocols" / "protocols.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    headings = [c for c in notebook["cells"] if "section" in c["metadata"].get("tlkit", {})]
    if value is None:
        headings[section]["metadata"]["tlkit"].pop("pd_features", None)
    else:
        headings[section]["metadata"]["tlkit"]["pd_features"] = value
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return headings[section]["metadata"]["tlkit"]["section"]


@pytest.mark.parametrize("value, words", [
    (["active-learnin"], ["'active-learnin'", "is not one of the seven features",
                          "Did you mean 'active-learning'?"]),
    (["peer-review"], ["'peer-review'", "Use the ids: content-focused, active-learning"]),
    ("collaboration", ['"pd_features" must be a list of feature ids']),
    ([3], ['"pd_features" must be a list of feature ids']),
    (["coaching", "coaching"], ["'coaching' is listed twice"]),
])
def test_a_wrong_feature_is_refused_with_a_plain_sentence(course, value, words):
    title = _set_features(course, value)
    with pytest.raises(ModuleError) as info:
        load_module("protocols", course)
    message = str(info.value)
    assert "protocols.ipynb" in message and f"section {title!r}" in message
    for word in words:
        assert word in message


def test_a_section_without_features_reads_as_none(course):
    _set_features(course, None)
    module = load_module("protocols", course)
    assert module.sections[0].pd_features == ()
    assert module.sections[1].pd_features          # the others keep theirs
