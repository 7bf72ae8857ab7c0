"""`release` says how learners get a module, and `collect` where it looked."""

from __future__ import annotations

from cohort_course import MODULE, answered, course_folders, hand_in, tlkit_course


def test_release_and_collect_say_where(tmp_path_factory):
    with course_folders(tmp_path_factory, "where") as (base, root, build):
        exchange = build / "exchange" / "tlkit"
        assert tlkit_course("init")[0] == 0
        code, out = tlkit_course("release", MODULE)
        assert code == 0, out
        assert f"Released '{MODULE}'. It is in the exchange: {exchange / 'outbound' / MODULE}" in out
        assert "Assignments list" in out and "'Fetch'" in out
        code, out = tlkit_course("collect")
        assert code == 0, out
        assert "'demo': 0 submission(s) collected so far." in out
        assert "No learner has handed it in yet" in out
        assert f"Looked for hand-ins in {exchange / 'inbound'}" in out
        assert f"the collected copies are in {build / 'submitted'}" in out
        hand_in(build, "ana", answered(build))
        code, out = tlkit_course("collect")
        assert "'demo': 1 submission(s) collected so far." in out
        assert "No learner has handed it in yet" not in out
