from __future__ import annotations


from tlkit import settings as paths


def test_content_ships_inside_the_package():
    assert (paths.CONTENT / "protocols").is_dir()


def test_course_root_found_from_a_subfolder(root, monkeypatch):
    monkeypatch.delenv("TLKIT_COURSE_ROOT", raising=False)
    assert paths.course_root(root / "modules") == root


def test_course_root_setting_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_COURSE_ROOT", str(tmp_path))
    assert paths.course_root() == tmp_path.resolve()
