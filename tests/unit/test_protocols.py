"""Protocol files: the shipped content, loading, and every message a malformed file gives."""

from __future__ import annotations

import copy
import dataclasses
import json
import re

import pytest
import yaml

from tlkit.content import ContentError
from tlkit.content.loader import schema_path
from tlkit.settings import PROTOCOLS_DIR
from tlkit.practice.protocols import (
    Protocol,
    Step,
    list_protocols,
    load_all,
    load_protocol,
    who_listens,
    who_speaks,
)

SHIPPED = ["coaching-triad", "consultancy", "looking-at-data", "peer-observation-cycle", "text-based-discussion",
           "tuning"]


# --- Shipped content -----------------------------------------------------------------------

def test_the_six_protocols_ship_and_load():
    assert list_protocols() == SHIPPED
    assert [p.id for p in load_all()] == SHIPPED


@pytest.mark.parametrize("protocol_id, low, high", [
    ("tuning", 60, 60), ("consultancy", 45, 55), ("coaching-triad", 45, 45), ("looking-at-data", 40, 50),
    # Five rounds of about eight minutes (everyone reads once), with reading and a debrief.
    ("text-based-discussion", 50, 60), ("peer-observation-cycle", 60, 75)])
def test_suggested_totals_match_the_published_lengths(protocol_id, low, high):
    assert low <= load_protocol(protocol_id).total_minutes <= high


@pytest.mark.parametrize("protocol", load_all(), ids=lambda p: p.id)
def test_shipped_content_is_realistic_and_complete(protocol):
    for step in protocol.steps:
        assert 1 <= step.min_minutes < step.suggested_minutes, step.name
        assert step.prompts and step.facilitator_moves, step.name
    used = {r for step in protocol.steps for r in (*step.speakers, *step.listeners)}
    assert used == {role.id for role in protocol.roles}, "every declared role takes part"
    # Every protocol can be run shorter than suggested (that is what the minimums are for).
    assert protocol.min_minutes < protocol.total_minutes
    assert protocol.norms and protocol.originators and protocol.source_note


@pytest.mark.parametrize("path", sorted(PROTOCOLS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_total_a_file_claims_in_its_comment_is_its_total(path):
    claimed = re.search(r"Times add up to (\d+) minutes", path.read_text(encoding="utf-8"))
    if claimed:
        assert int(claimed[1]) == load_protocol(path).total_minutes, (
            f"{path.name} says its times add up to {claimed[1]} minutes; they add up to "
            f"{load_protocol(path).total_minutes}")


def test_content_avoids_registered_marks():
    for path in PROTOCOLS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "Critical Friends" not in text and "CFG" not in text, path.name


def test_questioning_protocols_coach_against_advice_in_disguise():
    for protocol_id, step_name in [("consultancy", "Probing questions"),
                                   ("tuning", "Clarifying questions")]:
        step = next(s for s in load_protocol(protocol_id).steps if s.name == step_name)
        assert any("advice" in move.lower() or "suggestion" in move.lower()
                   for move in step.facilitator_moves), protocol_id


def test_protocol_is_frozen_with_tuples():
    protocol = load_protocol("tuning")
    with pytest.raises(dataclasses.FrozenInstanceError):
        protocol.name = "changed"
    assert isinstance(protocol.steps, tuple) and isinstance(protocol.steps[0].prompts, tuple)
    assert isinstance(protocol.roles, tuple) and isinstance(protocol.norms, tuple)
    assert protocol.group_size == tuple(
        yaml.safe_load((PROTOCOLS_DIR / "tuning.yaml").read_text())["group_size"].values())


# --- Loading by path; who speaks and who listens -----------------------------------------

def _tuning_data() -> dict:
    return yaml.safe_load((PROTOCOLS_DIR / "tuning.yaml").read_text(encoding="utf-8"))


def _write(tmp_path, data, name="tuning.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return path


def test_load_by_path_reads_a_file_outside_the_kit(tmp_path):
    data = _tuning_data()
    data["name"] = "Our tuning"
    protocol = load_protocol(_write(tmp_path, data))
    assert protocol.name == "Our tuning"
    assert load_protocol(str(tmp_path / "tuning.yaml")).name == "Our tuning"


def test_facilitator_moves_are_optional(tmp_path):
    data = _tuning_data()
    del data["steps"][0]["facilitator_moves"]
    assert load_protocol(_write(tmp_path, data)).steps[0].facilitator_moves == ()


def _one_step(speakers, listeners) -> tuple[Protocol, Step]:
    base = load_protocol("tuning")
    step = dataclasses.replace(base.steps[0], speakers=speakers, listeners=listeners)
    return dataclasses.replace(base, steps=(step,)), step


def test_who_speaks_and_listens_use_role_names():
    protocol, step = _one_step(("presenter",), ("facilitator", "participants"))
    assert who_speaks(protocol, step) == "Presenter"
    assert who_listens(protocol, step) == "Facilitator, Participants"


def test_who_says_everyone_and_no_one():
    protocol, step = _one_step(("facilitator", "presenter", "participants"), ())
    assert who_speaks(protocol, step) == "Everyone"
    assert who_listens(protocol, step) == "No one"


# --- Every validation message --------------------------------------------------------------

def _error(tmp_path, data, name="tuning.yaml") -> ContentError:
    path = _write(tmp_path, data, name)
    with pytest.raises(ContentError) as info:
        load_protocol(path)
    message = str(info.value)
    assert str(path) in message, "the message names the file"
    assert "Fix:" in message, "the message says what to do"
    assert "is a required property" not in message and "is not of type" not in message, \
        "jsonschema's own wording is translated"
    return info.value


def _line_of(path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_missing_field(tmp_path):
    data = _tuning_data()
    del data["purpose"]
    error = _error(tmp_path, data)
    assert error.field == "purpose"
    assert "this field is missing" in str(error) and "add a line 'purpose: ...'" in str(error)
    assert "what the protocol is for" in str(error), "explains what the field holds"


def test_missing_field_in_a_step_names_step_and_position(tmp_path):
    data = _tuning_data()
    del data["steps"][1]["prompts"]
    error = _error(tmp_path, data)
    assert error.field == "steps[2].prompts"
    assert f"step '{data['steps'][1]['name']}'" in str(error)


def test_wrong_type_names_field_line_and_value(tmp_path):
    data = _tuning_data()
    data["steps"][2]["min_minutes"] = "five"
    error = _error(tmp_path, data)
    assert error.field == "steps[3].min_minutes"
    line = _line_of(tmp_path / "tuning.yaml", "min_minutes: five")
    assert f"line {line}" in str(error)
    assert "should be a whole number, but it is the text 'five'" in str(error)
    assert "write a whole number of minutes" in str(error)


def test_empty_value(tmp_path):
    data = _tuning_data()
    data["originators"] = None
    error = _error(tmp_path, data)
    assert error.field == "originators" and "this is empty, but it should be text" in str(error)


def test_text_where_a_list_belongs(tmp_path):
    data = _tuning_data()
    data["norms"] = "Be kind."
    error = _error(tmp_path, data)
    assert error.field == "norms" and "should be a list" in str(error)
    assert "starting with '- '" in str(error)


def test_file_that_is_not_a_set_of_fields(tmp_path):
    error = _error(tmp_path, ["just", "a", "list"])
    assert error.field == "" and ", field" not in str(error)
    assert "should be a group of named fields" in str(error) and "but it is a list" in str(error)


def test_date_where_text_belongs_asks_for_quotes(tmp_path):
    path = tmp_path / "tuning.yaml"
    text = (PROTOCOLS_DIR / "tuning.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("name: Tuning protocol", "name: 2024-01-01", 1),
                    encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_protocol(path)
    assert info.value.field == "name" and "should be text, but it is 2024-01-01" in str(info.value)
    assert "inside double quotes" in str(info.value)


def test_number_below_minimum(tmp_path):
    data = _tuning_data()
    data["steps"][0]["min_minutes"] = 0
    error = _error(tmp_path, data)
    assert error.field == "steps[1].min_minutes"
    assert "at least 1, but it is 0" in str(error) and "use 1 or more" in str(error)


def test_empty_text(tmp_path):
    data = _tuning_data()
    data["name"] = ""
    error = _error(tmp_path, data)
    assert error.field == "name" and "this text is empty" in str(error)


def test_empty_list(tmp_path):
    data = _tuning_data()
    data["steps"] = []
    error = _error(tmp_path, data)
    assert error.field == "steps" and "this list is empty" in str(error)


def test_role_listed_twice_among_speakers(tmp_path):
    data = _tuning_data()
    data["steps"][1]["speakers"] = ["presenter", "presenter"]
    error = _error(tmp_path, data)
    assert error.field == "steps[2].speakers"
    assert "'presenter' is listed more than once" in str(error)


def test_id_with_spaces_or_capitals(tmp_path):
    data = _tuning_data()
    data["roles"][1]["id"] = "The Presenter"
    error = _error(tmp_path, data)
    assert error.field == "roles[2].id" and "'The Presenter' cannot be used as an id" in str(error)
    assert "lower-case letters" in str(error)


def test_misspelt_field_suggests_the_right_one(tmp_path):
    data = _tuning_data()
    data["steps"][0]["speaker"] = data["steps"][0].pop("speakers")
    error = _error(tmp_path, data)
    # Two problems in one: the unknown 'speaker' and the missing 'speakers'; both are listed.
    assert "steps[1].speaker " in str(error) and "did you mean 'speakers'?" in str(error)
    assert "steps[1].speakers " in str(error) and "this field is missing" in str(error)


def test_unknown_top_level_field_lists_the_allowed_ones(tmp_path):
    data = _tuning_data()
    data["colour"] = "blue"
    error = _error(tmp_path, data)
    assert error.field == "colour" and "the kit does not know this field" in str(error)
    assert "did you mean" not in str(error) and "group_size" in str(error)
    data[7] = "a number as a field name"
    assert "field 7 " in str(_error(tmp_path, data))


def test_many_problems_are_capped(tmp_path):
    data = _tuning_data()
    for step in data["steps"]:
        step["min_minutes"] = "x"
    error = _error(tmp_path, data)
    extra = len(data["steps"]) - 5
    assert str(error).count("Fix:") == 5 and f"and {extra} more" in str(error)


def test_min_above_suggested(tmp_path):
    data = _tuning_data()
    data["steps"][3]["min_minutes"] = data["steps"][3]["suggested_minutes"] + 2
    error = _error(tmp_path, data)
    assert error.field == "steps[4].min_minutes"
    assert "is longer than the suggested time" in str(error)
    assert "make min_minutes the same as suggested_minutes or smaller" in str(error)


def test_speaker_that_is_not_a_role(tmp_path):
    data = _tuning_data()
    data["steps"][1]["speakers"] = ["presentor"]
    error = _error(tmp_path, data)
    assert error.field == "steps[2].speakers[1]"
    assert "'presentor' is not one of the roles" in str(error)
    assert "facilitator, presenter, participants" in str(error)


def test_listener_that_is_not_a_role(tmp_path):
    data = _tuning_data()
    data["steps"][0]["listeners"] = ["presenter", "everyone"]
    error = _error(tmp_path, data)
    assert error.field == "steps[1].listeners[2]" and "'everyone'" in str(error)


def test_role_both_speaking_and_listening(tmp_path):
    data = _tuning_data()
    data["steps"][0]["speakers"] = ["facilitator", "presenter"]
    data["steps"][0]["listeners"] = ["presenter"]
    error = _error(tmp_path, data)
    assert error.field == "steps[1].listeners"
    assert "'presenter' is both a speaker and a listener" in str(error)


def test_duplicate_step_names(tmp_path):
    data = _tuning_data()
    data["steps"][4]["name"] = data["steps"][2]["name"].upper()
    error = _error(tmp_path, data)
    assert error.field == "steps[5].name" and "(steps 3 and 5)" in str(error)


def test_duplicate_role_ids(tmp_path):
    data = _tuning_data()
    data["roles"].append(copy.deepcopy(data["roles"][0]))
    error = _error(tmp_path, data)
    assert error.field == f"roles[{len(data['roles'])}].id"
    assert "used for two roles" in str(error)


def test_group_size_the_wrong_way_round(tmp_path):
    data = _tuning_data()
    data["group_size"] = {"min": 12, "max": 4}
    error = _error(tmp_path, data)
    assert error.field == "group_size.min"
    assert "smallest group (12) is larger than the largest (4)" in str(error)


def test_id_must_match_file_name(tmp_path):
    error = _error(tmp_path, _tuning_data(), name="my-tuning.yaml")
    assert error.field == "id" and "does not match the file name 'my-tuning.yaml'" in str(error)
    assert "rename the file to tuning.yaml" in str(error)


def test_yaml_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "tuning.yaml"
    text = (PROTOCOLS_DIR / "tuning.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Tuning protocol", "name: [Tuning protocol", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_protocol(path)
    message = str(info.value)
    assert str(path) in message and "layout (YAML) error" in message
    # YAML reports where it got stuck, at or after the broken line.
    reported = int(message.split("near line ")[1].split(":")[0])
    assert reported >= _line_of(path, "name: [Tuning protocol")
    assert "Fix: look at that line and the few lines above it" in message


def test_duplicate_key_would_lose_text(tmp_path):
    path = tmp_path / "tuning.yaml"
    text = (PROTOCOLS_DIR / "tuning.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("name: Tuning protocol\n",
                                 "name: Tuning protocol\nname: Tuning again\n", 1),
                    encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_protocol(path)
    assert info.value.field == "name" and "'name' appears twice" in str(info.value)
    assert f"line {_line_of(path, 'name: Tuning again')}" in str(info.value)


def test_empty_file(tmp_path):
    path = tmp_path / "tuning.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(ContentError, match="is empty. Fix: .*tuning.yaml"):
        load_protocol(path)


def test_file_not_saved_as_utf8(tmp_path):
    path = tmp_path / "tuning.yaml"
    path.write_bytes("name: Café\n".encode("latin-1"))
    with pytest.raises(ContentError, match="not plain text .UTF-8.*save it as UTF-8"):
        load_protocol(path)


def test_unknown_id_lists_the_available_protocols():
    with pytest.raises(ContentError) as info:
        load_protocol("tunning")
    message = str(info.value)
    assert "no protocol called 'tunning'" in message and "Did you mean 'tuning'?" in message
    assert all(protocol_id in message for protocol_id in SHIPPED)


def test_unknown_id_without_a_close_match():
    with pytest.raises(ContentError) as info:
        load_protocol("fishbowl")
    assert "Did you mean" not in str(info.value) and "tuning" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(ContentError, match="no protocol file at .*missing.yaml"):
        load_protocol(tmp_path / "missing.yaml")


# One file that breaks each keyword the schema uses. A keyword added to the schema without an
# entry here fails the first test below; an entry whose message falls back to the loader's
# catch-all fails the second.
def _set(path, value):
    def change(data):
        *parents, last = path
        for part in parents:
            data = data[part]
        data[last] = value
    return change


def _delete_suggested_minutes(data):
    del data["steps"][2]["suggested_minutes"]


BREAKS = {
    "additionalProperties": _set(["steps", 0, "speaker"], ["presenter"]),
    "type": _set(["group_size", "max"], "eight"),
    "minimum": _set(["group_size", "min"], 1),
    "minLength": _set(["norms", 1], ""),
    "minItems": _set(["roles"], []),
    "uniqueItems": _set(["steps", 1, "listeners"], ["presenter", "presenter"]),
    "pattern": _set(["id"], "Tuning Protocol"),
    "required": _delete_suggested_minutes,
    "maxItems": _set(["norms"], [f"Norm {n}" for n in range(1, 30)]),
    "const": _set(["schema_version"], 2),
}
CATCH_ALL = "this value is not in the form the kit expects"


def _schema_keywords(node):
    # Annotations and containers never fail on their own.
    quiet = {"$schema", "$id", "title", "description", "properties", "items"}
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties":
                for sub in value.values():
                    yield from _schema_keywords(sub)
            else:
                if key not in quiet:
                    yield key
                yield from _schema_keywords(value)


def test_every_schema_keyword_has_a_broken_file_below():
    schema = json.loads(schema_path("protocol").read_text(encoding="utf-8"))
    assert set(_schema_keywords(schema)) <= set(BREAKS)


@pytest.mark.parametrize("keyword", BREAKS)
def test_every_schema_keyword_has_a_plain_message(tmp_path, keyword):
    from jsonschema import Draft202012Validator

    data = _tuning_data()
    BREAKS[keyword](data)
    schema = json.loads(schema_path("protocol").read_text(encoding="utf-8"))
    failed = {e.validator for e in Draft202012Validator(schema).iter_errors(data)}
    assert failed == {keyword}, "the broken file trips exactly this keyword"
    assert CATCH_ALL not in str(_error(tmp_path, data))


def test_the_first_problem_reported_is_the_first_in_the_file(tmp_path):
    data = _tuning_data()
    while len(data["steps"]) < 11:
        # A deep copy: shared lists would be written as YAML aliases, which content refuses.
        data["steps"].append(dict(copy.deepcopy(data["steps"][0]),
                                  name=f"Extra {len(data['steps'])}"))
    data["steps"][10]["min_minutes"] = "x"   # steps[11]: as text, "10" sorts before "2"
    data["steps"][2]["min_minutes"] = "x"    # steps[3]
    error = _error(tmp_path, data)
    assert error.field == "steps[3].min_minutes"
    assert str(error).index("steps[3]") < str(error).index("steps[11]")


def test_importing_a_widget_does_not_load_the_schema_checker():
    # jsonschema takes most of a second to import; only validating a file needs it.
    import subprocess
    import sys

    code = ("import sys, tlkit.widgets.practice.protocol_runner; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'jsonschema'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def _rounds_data() -> dict:
    return yaml.safe_load((PROTOCOLS_DIR / "text-based-discussion.yaml").read_text("utf-8"))


def test_rounds_timed_in_words_must_match_the_step_minutes(tmp_path):
    data = _rounds_data()
    rounds = next(i for i, s in enumerate(data["steps"]) if s["name"] == "Rounds")
    data["steps"][rounds].update(min_minutes=15, suggested_minutes=24)  # 8 minutes x 5 people
    error = _error(tmp_path, data, "text-based-discussion.yaml")
    assert error.field == f"steps[{rounds + 1}].suggested_minutes"
    assert "a round takes about 8 minutes for 5 people" in str(error)
    assert "about 40 minutes, but the step suggests 24" in str(error)
    assert "make suggested_minutes 40" in str(error)


def test_number_words_and_a_claimed_total_for_the_rounds_are_read(tmp_path):
    data = _rounds_data()
    step = next(s for s in data["steps"] if s["name"] == "Rounds")
    step["facilitator_moves"] = ["Each round takes about seven minutes for four people."]
    step.update(min_minutes=15, suggested_minutes=28)
    assert load_protocol(_write(tmp_path, data, "text-based-discussion.yaml")).total_minutes
    step["facilitator_moves"] = ["The rounds take about 30 minutes in all."]
    error = _error(tmp_path, data, "text-based-discussion.yaml")
    assert "the rounds take about 30 minutes, but it suggests 28" in str(error)


def test_the_coaching_triad_rotates_three_roles_through_three_rounds():
    triad = load_protocol("coaching-triad")
    assert triad.group_size == (3, 3)
    assert {r.id for r in triad.roles} == {"coach", "teacher", "observer"}
    conversations = [s for s in triad.steps if s.name.endswith("coaching conversation")]
    reports = [s for s in triad.steps if s.name.endswith("observer reports")]
    assert len(conversations) == len(reports) == 3       # each person takes each role once
    for step in conversations:
        # The observer is silent in the conversation and works from the look-for sheet.
        assert step.listeners == ("observer",)
        assert any("look-for sheet" in p and "open, leading or judging" in p
                   for p in step.prompts) or any("same look-for sheet" in p
                                                 for p in step.prompts)
    for step in conversations[1:]:
        assert any("Rotate" in p for p in step.prompts)
    assert all(s.speakers[0] == "observer" for s in reports)
