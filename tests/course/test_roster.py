"""Roster import is strict and all-or-nothing: every problem with its row, then nothing added."""

from __future__ import annotations

import pytest
from cohort_course import write_course

from tlkit.ops.nbgrader_api import course_api
from tlkit.ops.roster import Learner, RosterError, check_roster, import_roster


def _file(tmp_path, text: str | bytes, name="learners.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_every_problem_is_listed_with_its_row(tmp_path):
    path = _file(tmp_path, "id,first_name,last_name,email\nm.rivera,Maria,Rivera,m@x.org\n"
                 "../etc,A,B,\nm rivera,C,D,\nM.Rivera,E,F,\nok1,,,\nok2,G,H,not-an-email\n"
                 "taken,I,J,\n")
    check = check_roster(path, {"taken": Learner("taken", "Someone", "Else", "")})
    text = "\n".join(check.problems)
    assert "Row 3: the id '../etc' cannot be used" in text
    assert "Row 4: the id 'm rivera' cannot be used" in text
    assert "Row 5: the id 'M.Rivera' is already used in row 2" in text
    assert "Row 6: the name of 'ok1' is blank" in text
    assert "Row 7: 'not-an-email' is not an email address" in text
    assert "Row 8: the id 'taken' already belongs to Someone Else" in text


@pytest.mark.parametrize(("text", "words"), [
    (b"", "is empty"), (b"\n\n", "is empty"),
    (b"name,email\nAnn,a@x.org\n", "Row 1: there is no 'id' column"),
    (b"id,first_name\n", "no learners"),
    ("id,first_name\nx,Zo\u00eb\n".encode("latin-1"), "not saved as UTF-8"),
])
def test_files_nbgrader_mishandles_get_one_sentence(tmp_path, text, words):
    [problem] = check_roster(_file(tmp_path, text)).problems
    assert words in problem


def test_bom_crlf_accents_and_semicolons_are_read(tmp_path):
    path = _file(tmp_path, "\ufeffid;first_name;last_name;email;school\r\n"
                 "zn01;Zoë;Nuñez-Ó;z@x.org;North\r\n")
    check = check_roster(path)
    assert check.problems == []
    assert check.learners == [Learner("zn01", "Zoë", "Nuñez-Ó", "z@x.org")]
    assert "separated by semicolons" in check.notes[0] and "school" in check.notes[1]


def test_import_is_all_or_nothing_and_repeatable(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "build"))
    api = course_api(write_course(tmp_path / "course"))
    good = _file(tmp_path, "id,first_name,last_name,email\na1,Ann,Lee,\na2,Bo,Ray,\n", "good.csv")
    assert [l.id for l in import_roster(api, good).learners] == ["a1", "a2"]
    again = import_roster(api, good)  # the same file twice: nothing new, nothing refused
    assert again.learners == [] and len(again.unchanged) == 2
    bad = _file(tmp_path, "id,first_name,last_name,email\na3,Cy,Dee,\na1,Other,Person,\n",
                "bad.csv")
    with pytest.raises(RosterError, match="nothing was added") as err:
        import_roster(api, bad)
    assert "Row 3: the id 'a1' already belongs to Ann Lee" in str(err.value)
    with api.gradebook() as gb:
        assert sorted(s.id for s in gb.students) == ["a1", "a2"]  # a3 was not added either
        assert gb.find_student("a1").first_name == "Ann"
