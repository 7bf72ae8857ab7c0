"""A learner's own Google Forms / Microsoft Forms export: mapped, checked, never changed."""

from __future__ import annotations

import pytest

from tlkit.data import codebook
from tlkit.data.forms import FormsError, import_form

BOOK = codebook("tl_survey_spring")
Q_CONF = BOOK.column("q_confident_standards").question
Q_MAT = BOOK.column("q_find_materials").question


def write(tmp_path, text, name="responses.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


MAT_HEADER = Q_MAT.upper() + "  "   # other case, trailing spaces: still the same question


def google(rows: list[str]) -> str:
    header = f'Timestamp,Email Address,"{Q_CONF}",{MAT_HEADER}\n'
    return header + "\n".join(rows) + "\n"


def test_a_clean_google_export_maps_questions_and_answer_words(tmp_path):
    path = write(tmp_path, google([
        "4/3/2025 10:23:11,a@example.org,more  confident, strongly AGREE ",
        "4/4/2025 09:00:00,b@example.org,About the same,Agree",
    ]))
    before = path.read_bytes()
    result = import_form(path, "tl_survey_spring")
    assert result.ok, result.report()
    assert list(result.data["q_find_materials"]) == ["Strongly agree", "Agree"]
    assert result.data["q_confident_standards"].cat.ordered
    assert list(result.data.index) == [2, 3]                      # spreadsheet rows
    assert result.data["submitted"].dt.day.tolist() == [3, 4]     # month first, as Google US
    assert "email" not in " ".join(result.data.columns).lower()
    assert any("Email Address" in note for note in result.notes)
    assert path.read_bytes() == before                            # the export is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["responses.csv"]


def test_every_problem_is_listed_with_its_spreadsheet_row_and_column(tmp_path):
    path = write(tmp_path, google([
        "4/3/2025 10:23:11,a@example.org,More confident,Agree",
        "4/3/2025 10:30:00,b@example.org,Mor confident,Agree",       # row 3
        ",,,",                                                      # row 4: blank, skipped
        "not a time,c@example.org,About the same,Agre",              # row 5: two problems
        "4/5/2025 08:00:00,d@example.org,About the same,5",          # row 6
    ]))
    result = import_form(path, "tl_survey_spring")
    found = {(p.row, p.column) for p in result.problems}
    assert found == {(3, Q_CONF), (5, "Timestamp"), (5, MAT_HEADER), (6, MAT_HEADER)}
    report = result.report()
    assert "row 3" in report and "'Mor confident'" in report and "More confident" in report
    assert "row 5, column 'Timestamp'" in report
    assert "5 = Strongly agree" in report            # numbers from a linear-scale question
    assert len(result.data) == 4                     # the blank line is not a response


def test_microsoft_forms_columns_and_a_mapping_for_reworded_questions(tmp_path):
    path = write(tmp_path,
                 "ID,Start time,Completion time,Email,Name,How confident now vs last year?,"
                 "Protected time to lead\n"
                 "1,4/3/25 10:00:00,4/3/25 10:05:00,x@example.org,Ann Example,"
                 "Much more confident,Disagree\n")
    mapping = {"how confident now vs last year": "q_confident_standards",
               "Protected time to lead": "q_protected_time"}
    result = import_form(path, "tl_survey_spring", mapping=mapping)
    assert result.ok, result.report()
    assert set(result.mapping.values()) == {"submitted", "q_confident_standards",
                                            "q_protected_time"}
    assert result.data.loc[2, "q_protected_time"] == "Disagree"
    left_out = " ".join(result.notes)
    assert "'Email'" in left_out and "'Name'" in left_out
    assert "Ann Example" not in result.data.to_string()


def test_near_miss_headers_get_a_suggestion_and_bad_mappings_are_problems(tmp_path):
    near = Q_MAT.replace("high-quality", "high quality").rstrip(".")
    path = write(tmp_path, f'Timestamp,"{near}",{Q_CONF.replace(",", "")}\n'
                           "4/3/2025 10:00:00,Agree,More confident\n")
    result = import_form(path, "tl_survey_spring", mapping={"x": "q_not_a_column"})
    assert any("Did you mean" in n and "q_find_materials" in n for n in result.notes)
    assert any("q_not_a_column" in p.message for p in result.problems)


def test_two_headers_for_one_question_is_a_problem_on_the_header_row(tmp_path):
    path = write(tmp_path, f"q_find_materials,{Q_MAT}\nAgree,Agree\n")
    result = import_form(path, "tl_survey_spring")
    assert [(p.row, p.column) for p in result.problems] == [(1, Q_MAT)]


def test_a_file_matching_nothing_says_how_to_map_it(tmp_path):
    path = write(tmp_path, "Colour,Pet\nred,cat\n")
    result = import_form(path, "tl_survey_spring")
    assert not result.ok
    assert "mapping=" in result.problems[0].message


def test_excel_files_and_windows_encodings(tmp_path):
    with pytest.raises(FormsError, match="Save it as CSV"):
        import_form(tmp_path / "answers.xlsx", "tl_survey_spring")
    path = write(tmp_path, f"{Q_MAT},Comment\nAgree,très bien\n", encoding="cp1252")
    result = import_form(path, "tl_survey_spring")
    assert result.ok and result.data.loc[2, "q_find_materials"] == "Agree"


@pytest.mark.parametrize(("text", "expected"), [
    (f"{Q_MAT},Comment\nAgree,fine\nAgree,fine, really\n",          # row 3: unquoted comma
     r"line 3 of the file has 3 cells but the header row has 2"),
    (f'{Q_MAT},Comment\nAgree,"fine\nAgree,fine\n', r"quote mark .* never closes"),
])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_damaged_csv_is_named_with_what_to_do(tmp_path, text, expected, encoding):
    # A Windows accent sends the file down the second (cp1252) reading attempt.
    extra = "Très\n" if encoding == "cp1252" else ""
    path = write(tmp_path, text + extra, encoding=encoding)
    with pytest.raises(FormsError, match=expected) as caught:
        import_form(path, "tl_survey_spring")
    assert "responses.csv" in str(caught.value) and "Export the responses" in str(caught.value)


@pytest.mark.parametrize(("data", "expected"), [
    (b"\r\n\r\n\xa0", "is empty"),          # blank lines and a Windows non-breaking space
    (b"\x81\x8d\n", "Save it as CSV UTF-8"),  # bytes neither UTF-8 nor Windows text
])
def test_unreadable_bytes_on_the_windows_retry_are_named(tmp_path, data, expected):
    path = tmp_path / "responses.csv"
    path.write_bytes(data)
    with pytest.raises(FormsError, match=expected) as caught:
        import_form(path, "tl_survey_spring")
    assert "responses.csv" in str(caught.value)


# --- Other shapes of "CSV": semicolons, Excel's "Unicode Text", blank-looking rows ----------

def _rows_for_shapes(sep: str) -> str:
    # A comma inside an answer needs no quotes when cells are split by semicolons or tabs.
    return (f"Timestamp{sep}{Q_CONF}{sep}{Q_MAT}{sep}Comment\n"
            f"4/3/2025 10:23:11{sep}More confident{sep}Agree{sep}fine, really\n"
            f"4/4/2025 09:00:00{sep}About the same{sep}Strongly agree{sep}ok\n")


@pytest.mark.parametrize(("sep", "encoding"), [
    (";", "utf-8"), (";", "cp1252"), (";", "utf-8-sig"),
    ("\t", "utf-16"),          # Excel's "Unicode Text": UTF-16 LE with a byte-order mark, tabs
    ("\t", "utf-16-le"),       # the same without a mark
    ("\t", "utf-8"),
])
def test_semicolon_tab_and_utf16_exports_are_read_like_commas(tmp_path, sep, encoding):
    path = write(tmp_path, _rows_for_shapes(sep), encoding=encoding)
    result = import_form(path, "tl_survey_spring")
    assert result.ok, result.report()
    assert set(result.mapping.values()) == {"submitted", "q_confident_standards",
                                            "q_find_materials"}
    assert list(result.data["q_find_materials"]) == ["Agree", "Strongly agree"]
    assert not any("\x00" in note for note in result.notes)


def test_rows_of_only_spaces_or_tabs_are_not_responses(tmp_path):
    path = write(tmp_path, google([
        "4/3/2025 10:23:11,a@example.org,More confident,Agree",
        "   ,  ,\t,  ",                  # row 3: spaces only, in every cell
        "   ",                           # row 4: a line of spaces
        "4/4/2025 09:00:00,b@example.org,About the same,Agree",
    ]))
    result = import_form(path, "tl_survey_spring")
    assert result.ok, result.report()
    assert list(result.data.index) == [2, 5]
    assert result.report().startswith("responses.csv: 2 responses")


def test_an_excel_workbook_renamed_to_csv_is_named_as_such(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(200))
    with pytest.raises(FormsError, match="responses.csv is an Excel workbook"):
        import_form(path, "tl_survey_spring")


def test_an_open_text_file_is_read_too(tmp_path):
    import io
    source = io.StringIO(_rows_for_shapes(";"))
    result = import_form(source, "tl_survey_spring")
    assert result.ok and len(result.data) == 2
