from __future__ import annotations

import pytest

from tlkit import settings as paths


def test_content_ships_inside_the_package():
    assert (paths.CONTENT / "protocols").is_dir()


def test_course_root_found_from_a_subfolder(root, monkeypatch):
    monkeypatch.delenv("TLKIT_COURSE_ROOT", raising=False)
    assert paths.course_root(root / "modules") == root


def test_course_root_setting_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_COURSE_ROOT", str(tmp_path))
    assert paths.course_root() == tmp_path.resolve()


def test_role_is_learner_unless_the_hub_says_facilitator(monkeypatch):
    monkeypatch.delenv("TLKIT_ROLE", raising=False)
    assert paths.role() == "learner"
    monkeypatch.setenv("TLKIT_ROLE", "facilitator")
    assert paths.role() == "facilitator"
    monkeypatch.setenv("TLKIT_ROLE", "teacher")
    with pytest.raises(paths.SettingError, match="TLKIT_ROLE"):
        paths.role()
