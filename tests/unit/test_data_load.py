"""Loading gives proper dtypes; every kind of bad file is caught with a message that says
which file, row and column, and what to do."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from tlkit.data import Codebook, DataError, codebook, data_dir, load, names
from tlkit.data.generate import default_out
from tlkit.data.loading import read_text_table


def test_loaded_columns_have_the_codebook_types():
    tl = load("tl_survey_spring")
    levels = codebook("tl_survey_spring").column("q_find_materials").levels
    assert isinstance(tl["q_find_materials"].dtype, pd.CategoricalDtype)
    assert tl["q_find_materials"].cat.ordered
    assert list(tl["q_find_materials"].cat.categories) == list(levels)
    assert tl["submitted"].dtype.kind == "M"
    s = load("sessions")
    assert s["date"].dtype.kind == "M"
    assert str(s["attended"].dtype) == "Int64"


def test_names_lists_every_codebook_and_unknown_names_say_what_exists():
    assert {"sessions", "teachers", "tl_survey_spring", "district_readiness"} <= set(names())
    with pytest.raises(FileNotFoundError, match="sessions"):
        load("sesions")


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """A private copy of the datasets folder, used through TLKIT_DATA."""
    folder = tmp_path / "data"
    shutil.copytree(default_out(), folder)
    monkeypatch.setenv("TLKIT_DATA", str(folder))
    return folder


def rewrite(folder, name, change):
    """Apply `change` to the table's text cells and save it back (as .csv or .csv.gz)."""
    path = folder / codebook(name).file
    frame = change(read_text_table(path))
    frame.to_csv(path, index=False)
    return path


def test_tlkit_data_points_load_at_another_folder(copy):
    assert data_dir() == copy
    rewrite(copy, "organizations", lambda f: f.assign(content_focus="math"))
    assert set(load("organizations")["content_focus"]) == {"math"}


def test_missing_and_unexpected_columns_are_named(copy):
    path = rewrite(copy, "cohorts",
                   lambda f: f.drop(columns=["enrolled"]).rename(columns={"design": "Design"}))
    with pytest.raises(DataError) as err:
        load("cohorts")
    text = str(err.value)
    assert str(path) in text
    assert "missing the column(s) design, enrolled" in text
    assert "does not list: Design" in text
    assert "tlkit data generate" in text


def _message(name) -> str:
    with pytest.raises(DataError) as err:
        load(name)
    return str(err.value)


def test_an_answer_off_the_scale_names_row_column_and_the_allowed_answers(copy):
    def typo(f):
        f.loc[4, "q_find_materials"] = "Agre"
        return f
    rewrite(copy, "tl_survey_spring", typo)
    text = _message("tl_survey_spring")
    assert "row 6, column 'q_find_materials'" in text      # header is row 1
    assert "'Agre'" in text and "Strongly agree" in text


def test_text_in_a_number_column_and_out_of_range_numbers(copy):
    def bad(f):
        f.loc[0, "enrolled"] = "twelve"
        f.loc[1, "enrolled"] = "500"
        return f
    rewrite(copy, "cohorts", bad)
    text = _message("cohorts")
    assert "row 2, column 'enrolled': 'twelve' is not a whole number" in text
    assert "row 3, column 'enrolled'" in text and "between 1 and 60" in text


def test_bad_dates_and_dates_outside_the_school_year(copy):
    def bad(f):
        f.loc[0, "submitted"] = "2017-02-30"
        f.loc[1, "submitted"] = "2015-04-03"
        return f
    rewrite(copy, "tl_survey_spring", bad)
    text = _message("tl_survey_spring")
    assert "row 2, column 'submitted': '2017-02-30' is not" in text
    assert "is empty" not in text       # an unreadable date is reported once, not twice
    assert "row 3, column 'submitted': 2015-04-03 must be between 2017-04-03 and 2017-05-26" in text


def test_a_row_rule_more_attending_than_enrolled(copy):
    def bad(f):
        f.loc[9, "attended"] = str(int(f.loc[9, "enrolled"]) + 1)
        return f
    rewrite(copy, "sessions", bad)
    text = _message("sessions")
    assert "row 11" in text and "attended is larger than enrolled" in text


def test_duplicate_ids_and_empty_required_cells(copy):
    def bad(f):
        f.loc[3, "tl_id"] = f.loc[2, "tl_id"]
        f.loc[5, "org_id"] = None
        return f
    rewrite(copy, "teacher_leaders", bad)
    with pytest.raises(DataError) as err:
        load("teacher_leaders")
    rows = {(p.row, p.column) for p in err.value.problems}
    assert {(4, "tl_id"), (5, "tl_id"), (7, "org_id")} <= rows    # all found in one go
    assert "appears more than once" in str(err.value)
    assert "is empty" in str(err.value)


def test_many_identical_problems_are_grouped_not_buried(copy):
    rewrite(copy, "teachers", lambda f: f.assign(grade_band="primary"))
    text = _message("teachers")
    assert len(text.splitlines()) < 10
    assert "rows 2, 3, 4" in text and "more" in text


def test_a_broken_codebook_names_the_field(copy):
    path = copy / "districts.codebook.yaml"
    path.write_text(path.read_text().replace("type: integer", "type: whole"))
    with pytest.raises(DataError, match=r"columns\[\d+\]\.type \(column 'schools_in_partnership', "
                       r"line \d+\): the text 'whole' is not one of.*Fix: use one of"):
        load("districts")


@pytest.mark.parametrize(("change", "expected"), [
    (lambda text: text.replace("  message: 'attended", "  note: 'attended"),
     r"sessions\.codebook\.yaml, field rules\[1\]\.message .*this field is missing"),
    (lambda text: text.replace("- check: attended", "- when: attended"),
     r"sessions\.codebook\.yaml, field rules\[1\]\.check .*this field is missing"),
    (lambda text: text.replace("rules:", "rules: attended <= enrolled\nold_rules:"),
     r"sessions\.codebook\.yaml, field rules .*should be a list"),
    (lambda text: "", r"sessions\.codebook\.yaml is empty\. Fix:"),
])
def test_a_broken_codebook_rule_or_an_empty_codebook_names_file_and_field(copy, change,
                                                                         expected):
    path = copy / "sessions.codebook.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError, match=expected):
        load("sessions")


def test_a_codebook_not_saved_as_utf8_says_so(copy):
    path = copy / "sessions.codebook.yaml"
    path.write_bytes(path.read_bytes() + b"# r\xe9vis\xe9\n")     # Windows "Latin" text
    with pytest.raises(DataError, match=r"sessions\.codebook\.yaml is not plain text \(UTF-8\)"):
        load("sessions")


def test_lazy_names_work_after_a_submodule_was_imported_first():
    # tlkit.data names are imported on first use; importing a submodule first (as the forms
    # importer does) must still give the codebook() function and the Codebook class.
    code = ("import tlkit.data.forms\n"
            "from tlkit.data import codebook, Codebook\n"
            "assert isinstance(codebook('sessions'), Codebook)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("data", [None, [], "name: x"])
def test_a_codebook_that_is_not_a_mapping_is_refused_in_words(data):
    with pytest.raises(DataError, match="must be a YAML mapping"):
        Codebook.from_dict(data)
