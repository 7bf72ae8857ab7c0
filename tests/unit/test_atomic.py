"""Files written whole or not at all (tlkit.atomic): what every saved file of the kit goes
through (state, the gradebook's status, the learner's copy, the generated datasets)."""

from __future__ import annotations

import pytest

from tlkit.atomic import write_atomic


def test_text_and_bytes_replace_the_file_and_leave_nothing_else(tmp_path):
    target = tmp_path / "status.json"
    write_atomic(target, "first")
    write_atomic(target, "zweite Fassung".encode("utf-8"))
    assert target.read_text(encoding="utf-8") == "zweite Fassung"
    assert [p.name for p in tmp_path.iterdir()] == ["status.json"]


def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "plan.csv"
    write_atomic(target, "kept")

    def disk_full(_src, _dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tlkit.atomic.os.replace", disk_full)
    with pytest.raises(OSError):
        write_atomic(target, "lost")
    assert target.read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]


def test_the_data_reaches_the_disk_before_the_rename(tmp_path, monkeypatch):
    import os

    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr("tlkit.atomic.os.fsync",
                        lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr("tlkit.atomic.os.replace",
                        lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    write_atomic(tmp_path / "a.json", "{}")
    assert calls == ["fsync", "replace"]


def test_no_other_module_replaces_files_its_own_way(root):
    # One helper, so every file the kit replaces gets the same care (fsync, clean-up).
    own = [str(p.relative_to(root)) for p in [*root.glob("src/tlkit/**/*.py"),
                                               *root.glob("widgets/**/*.py")]
           if p.name != "atomic.py" and "os.replace(" in p.read_text(encoding="utf-8")]
    assert not own, f"{own} replace files themselves; use tlkit.atomic.write_atomic"
