"""tlkit.ops.release.copy_release: a learner's workspace files are never overwritten."""

from __future__ import annotations

import datetime as dt

from tlkit.ops.release import MANIFEST, copy_release

DAY = dt.date(2026, 11, 22)


def _release(tmp_path, text: str, name: str = "protocols"):
    folder = tmp_path / "build" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.ipynb").write_text(text, encoding="utf-8")
    return folder


def test_first_copy_adds_files(tmp_path):
    release = _release(tmp_path, "v1")
    (release / "data").mkdir()
    (release / "data" / "scores.csv").write_text("a,b\n", encoding="utf-8")
    report = copy_release(release, tmp_path / "ws", DAY)
    assert (tmp_path / "ws" / "protocols" / "protocols.ipynb").read_text() == "v1"
    assert (tmp_path / "ws" / "protocols" / "data" / "scores.csv").read_text() == "a,b\n"
    assert len(report.added) == 2 and not report.beside
    assert (tmp_path / "ws" / MANIFEST).is_file()


def test_learner_edits_of_an_unchanged_release_are_left_alone(tmp_path):
    release = _release(tmp_path, "v1")
    copy_release(release, tmp_path / "ws", DAY)
    mine = tmp_path / "ws" / "protocols" / "protocols.ipynb"
    mine.write_text("v1 plus my notes")
    report = copy_release(release, tmp_path / "ws", DAY)
    assert mine.read_text() == "v1 plus my notes"
    assert not report.added and not report.beside and not report.messages()
    assert [p.name for p in mine.parent.iterdir()] == ["protocols.ipynb"]


def test_a_changed_release_goes_beside_the_learner_file(tmp_path):
    copy_release(_release(tmp_path, "v1"), tmp_path / "ws", DAY)
    mine = tmp_path / "ws" / "protocols" / "protocols.ipynb"
    mine.write_text("v1 plus my notes")

    report = copy_release(_release(tmp_path, "v2"), tmp_path / "ws", DAY)
    beside = mine.with_name("protocols (updated 2026-11-22).ipynb")
    assert mine.read_text() == "v1 plus my notes"
    assert beside.read_text() == "v2"
    assert report.beside == [(mine, beside)]
    [line] = report.messages()
    assert "protocols (updated 2026-11-22).ipynb" in line and "left exactly as it was" in line

    # Running again changes nothing; a second change the same day gets its own name and
    # leaves the first updated copy (which the learner may have started using) alone.
    assert not copy_release(_release(tmp_path, "v2"), tmp_path / "ws", DAY).beside
    beside.write_text("v2 plus my notes")
    report = copy_release(_release(tmp_path, "v3"), tmp_path / "ws", DAY)
    second = mine.with_name("protocols (updated 2026-11-22, 2).ipynb")
    assert second.read_text() == "v3" and beside.read_text() == "v2 plus my notes"
    assert mine.read_text() == "v1 plus my notes"


def test_an_unchanged_learner_file_is_still_not_overwritten(tmp_path):
    copy_release(_release(tmp_path, "v1"), tmp_path / "ws", DAY)
    copy_release(_release(tmp_path, "v2"), tmp_path / "ws", DAY)
    assert (tmp_path / "ws" / "protocols" / "protocols.ipynb").read_text() == "v1"


def test_a_damaged_manifest_never_costs_learner_work(tmp_path):
    copy_release(_release(tmp_path, "v1"), tmp_path / "ws", DAY)
    mine = tmp_path / "ws" / "protocols" / "protocols.ipynb"
    mine.write_text("my work")
    (tmp_path / "ws" / MANIFEST).write_text("{ not json")
    report = copy_release(_release(tmp_path, "v1"), tmp_path / "ws", DAY)
    assert mine.read_text() == "my work"
    assert [b.read_text() for _, b in report.beside] == ["v1"]


def test_a_deleted_learner_file_comes_back_fresh(tmp_path):
    release = _release(tmp_path, "v1")
    copy_release(release, tmp_path / "ws", DAY)
    mine = tmp_path / "ws" / "protocols" / "protocols.ipynb"
    mine.unlink()
    report = copy_release(release, tmp_path / "ws", DAY)
    assert mine.read_text() == "v1" and report.added == [mine]
