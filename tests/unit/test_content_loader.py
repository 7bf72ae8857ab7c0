"""The one content loader: every kind loads, every kind's broken file names file, field, line
and fix, hostile files are refused at once, and a file for another format version says so."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

from tlkit.content import KINDS, ContentError, list_names, load, load_file, schema_version
from tlkit.content.loader import HANDLED_KEYWORDS, folder_of, schema, schema_path
from tlkit.data.loading import data_dir

CONTENT_KINDS = [kind for kind in KINDS if kind != "codebook"]


def _shipped(kind: str) -> dict:
    name = list_names(kind)[0]
    return yaml.safe_load((folder_of(kind) / f"{name}.yaml").read_text(encoding="utf-8"))


def _write(tmp_path, data, name="example.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# --- Every kind loads ----------------------------------------------------------------------

@pytest.mark.parametrize("kind", CONTENT_KINDS)
def test_each_kind_ships_at_least_one_file_that_loads(kind):
    names = list_names(kind)
    assert names, f"no {kind} file under {folder_of(kind)}"
    for name in names:
        data = load(kind, name)
        assert isinstance(data, dict) and data["schema_version"] == schema_version(kind) == 1
        text = (folder_of(kind) / f"{name}.yaml").read_text(encoding="utf-8")
        assert re.search(r"^schema_version: 1$", text, re.M), f"{name} declares its version"


def test_every_shipped_codebook_loads_and_its_version_is_defaulted():
    paths = sorted(data_dir().glob("*.codebook.yaml"))
    assert paths
    for path in paths:
        data = load_file("codebook", path)
        assert data["schema_version"] == 1 and data["columns"]
        assert "schema_version" not in path.read_text(encoding="utf-8")


def test_the_moved_content_reads_the_same_as_before():
    from tlkit.data.scales import POSITIVE, SCALES
    from tlkit.practice.calibration import SOURCES, landis_koch
    from tlkit.practice.observation import judgement_words

    assert SCALES["agree"][0] == "Strongly disagree" and len(SCALES["agree"]) == 5
    assert POSITIVE["readiness"] == ("Partly in place", "Fully in place")
    assert any("Biometrics, 33(1), 159-174" in source for source in SOURCES)
    assert [landis_koch(v) for v in (-.01, 0, .2, .21, .4, .41, .6, .61, .8, .81, 1)] == [
        "poor: below chance", "slight", "slight", "fair", "fair", "moderate", "moderate",
        "substantial", "substantial", "almost perfect", "almost perfect"]
    assert judgement_words("They seemed off task") == ["seemed", "off task"]


def test_self_assessment_and_readiness_items_point_at_their_groups_and_a_real_scale():
    from tlkit.data.scales import SCALES

    for kind, groups, items, key in (("self-assessment", "domains", "items", "domain"),
                                     ("readiness", "areas", "conditions", "area")):
        for name in list_names(kind):
            data = load(kind, name)
            assert data["scale"] in SCALES
            ids = {group["id"] for group in data[groups]}
            assert {item[key] for item in data[items]} == ids, "every group has items"


# --- Every kind's broken file says file, field, line and fix -------------------------------

def _break(path_parts, value):
    def change(data):
        *parents, last = path_parts
        for part in parents:
            data = data[part]
        data[last] = value
    return change


BROKEN = {
    "protocol": (_break(["steps", 1, "min_minutes"], "five"), "steps[2].min_minutes",
                 "should be a whole number"),
    "rubric": (_break(["look_fors", 0, "id"], "Text Evidence"), "look_fors[1].id",
               "cannot be used as an id"),
    "episode": (_break(["notes", 2, "time"], 90), "notes[3].time", "should be text"),
    "statements": (_break(["statements", 3, "label"], "judging"), "statements[4].label",
                   "not one of the values"),
    "scales": (_break(["scales", 0, "answers"], ["Yes"]), "scales[1].answers",
               "needs at least 2 entries"),
    "wordlist": (_break(["words"], "great, good"), "words", "should be a list"),
    "questions": (_break(["questions", 2, "text"], ""), "questions[3].text",
                  "this text is empty"),
    "sources": (_break(["sources", 1, "citaton"], "x"), "sources[2].citaton",
                "the kit does not know this field"),
    "bands": (_break(["bands", 1, "up_to"], 1.5), "bands[2].up_to", "at most 1"),
    "self-assessment": (_break(["items", 0, "statement"], ""), "items[1].statement",
                        "this text is empty"),
    "readiness": (_break(["conditions", 2, "evidence"], None), "conditions[3].evidence",
                  "this is empty"),
    "design": (_break(["components", 1, "minutes"], "half an hour"), "components[2].minutes",
               "should be a whole number"),
    "pd-features": (_break(["features", 1, "id"], "Active Learning"), "features[2].id",
                    "cannot be used as an id"),
    "session-audit": (_break(["examples", 0, "segments", 1, "minutes"], "forty"),
                      "examples[1].segments[2].minutes", "should be a whole number"),
    "survey-links": (_break(["pairs", 1, "theme"], ""), "pairs[2].theme", "this text is empty"),
    "reflection-protocol": (_break(["stems", 1, "label"], ""), "stems[2].label",
                            "this text is empty"),
    "instrument": (_break(["items", 1, "id"], "Ran A Protocol"), "items[2].id",
                   "cannot be used as an id"),
}


def test_every_kind_has_a_broken_example_below():
    assert set(BROKEN) == set(CONTENT_KINDS)


@pytest.mark.parametrize("kind", CONTENT_KINDS)
def test_a_broken_file_names_file_field_line_and_fix(tmp_path, kind):
    change, field, words = BROKEN[kind]
    data = _shipped(kind)
    change(data)
    path = _write(tmp_path, data)
    with pytest.raises(ContentError) as info:
        load_file(kind, path)
    message = str(info.value)
    assert message.startswith(f"{KINDS[kind].noun} file {path}, field {field} (")
    assert words in message and "Fix:" in message
    assert info.value.field == field and info.value.file == path
    assert f"line {info.value.line}" in message
    assert "is not of type" not in message and "is a required property" not in message


def test_a_broken_codebook_names_the_column(tmp_path):
    source = sorted(data_dir().glob("*.codebook.yaml"))[0]
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["columns"][1]["missing"] = "sometimes"
    path = _write(tmp_path, data, source.name)
    with pytest.raises(ContentError) as info:
        load_file("codebook", path)
    name = data["columns"][1]["name"]
    assert f"field columns[2].missing (column '{name}', line" in str(info.value)
    assert "should be true or false" in str(info.value)


def test_a_repeated_key_is_refused_because_yaml_would_drop_the_first(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("schema_version: 1\nwords: [good]\nabout: one\nabout: two\n",
                    encoding="utf-8")
    with pytest.raises(ContentError, match=r"field about \(line 3\): 'about' appears twice "
                                           r".*second time on line 4"):
        load_file("wordlist", path)


def test_unknown_name_suggests_the_close_one():
    with pytest.raises(ContentError, match="no kappa bands called 'landis-kotch'.*Did you mean "
                                           "'landis-koch'"):
        load("bands", "landis-kotch")


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(ContentError, match="no content of kind 'recipes'.*protocol, rubric"):
        load("recipes", "x")


# --- Versions ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(KINDS))
def test_each_schema_carries_its_version_and_checks_it(kind):
    rules = schema(kind)
    assert rules["$id"] == f"tlkit/{kind}/1" and schema_path(kind).name == f"{kind}.schema.json"
    assert rules["properties"]["schema_version"]["const"] == 1


def test_a_file_for_a_newer_format_says_so_plainly(tmp_path):
    data = _shipped("rubric")
    data["schema_version"] = 2
    with pytest.raises(ContentError) as info:
        load_file("rubric", _write(tmp_path, data))
    message = str(info.value)
    assert "field schema_version (line" in message and info.value.field == "schema_version"
    assert "written for version 2 of the rubric format, but this kit reads version 1" in message
    assert "Fix: update the kit" in message


def test_a_version_that_is_not_a_number_says_what_to_write(tmp_path):
    data = _shipped("sources")
    data["schema_version"] = "one"
    with pytest.raises(ContentError, match="the format version is the text 'one'.*"
                                           "Fix: write 'schema_version: 1'"):
        load_file("sources", _write(tmp_path, data))


def test_a_file_without_a_version_is_read_as_the_current_one(tmp_path):
    data = _shipped("wordlist")
    del data["schema_version"]
    assert load_file("wordlist", _write(tmp_path, data))["schema_version"] == 1


# --- Hostile files -------------------------------------------------------------------------

def _billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(5)
def test_nested_aliases_are_refused_at_once(tmp_path):
    path = tmp_path / "tuning.yaml"
    path.write_text(_billion_laughs(), encoding="utf-8")
    assert path.stat().st_size < 8 * 1024
    with pytest.raises(ContentError) as info:
        load_file("protocol", path)
    assert "uses a YAML anchor or alias" in str(info.value) and "line 1" in str(info.value)
    assert "Fix: write the text out in full" in str(info.value)


@pytest.mark.timeout(5)
def test_even_one_harmless_alias_is_refused(tmp_path):
    path = tmp_path / "judgement.yaml"
    path.write_text("schema_version: 1\nabout: &a x\nwords: [*a]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="near line 2"):
        load_file("wordlist", path)


@pytest.mark.timeout(5)
def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    data = _shipped("protocol")
    step = json.dumps(data["steps"][1], ensure_ascii=False)
    steps = ",\n".join(step.replace(data["steps"][1]["name"], f"Step {n}") for n in range(28000))
    path = tmp_path / "tuning.yaml"
    # JSON is YAML: written directly, as generating it through yaml.dump takes too long.
    path.write_text(json.dumps({k: v for k, v in data.items() if k != "steps"})[:-1]
                    + ', "steps": [' + steps + "]}", encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    with pytest.raises(ContentError) as info:
        load_file("protocol", path)
    assert re.search(r"is [\d,]+ KB, more than the 256 KB a protocol file may be", str(info.value))


@pytest.mark.timeout(10)
def test_too_many_items_are_refused_with_the_limit(tmp_path):
    data = _shipped("protocol")
    data["steps"] = [dict(copy.deepcopy(data["steps"][1]), name=f"Step {n}")
                     for n in range(300)]
    path = _write(tmp_path, data, "tuning.yaml")
    assert path.stat().st_size < 256 * 1024
    with pytest.raises(ContentError) as info:
        load_file("protocol", path)
    assert "field steps (line" in str(info.value)
    assert "this has 300 entries, more than the 40 a protocol file may hold" in str(info.value)


# --- Every schema stays within what the loader can explain ---------------------------------

def _keywords_and_arrays(node, found, arrays):
    quiet = {"$schema", "$id", "title", "description", "properties", "items"}
    if isinstance(node, dict):
        if node.get("type") == "array" or "array" in (node.get("type") or []):
            arrays.append(node)
        for key, value in node.items():
            if key == "properties":
                for sub in value.values():
                    _keywords_and_arrays(sub, found, arrays)
            else:
                if key not in quiet:
                    found.add(key)
                _keywords_and_arrays(value, found, arrays)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_schema_keyword_has_a_plain_message_and_every_list_a_limit(kind):
    found, arrays = set(), []
    _keywords_and_arrays(schema(kind), found, arrays)
    assert found <= HANDLED_KEYWORDS, found - HANDLED_KEYWORDS
    assert arrays and all("maxItems" in array for array in arrays), kind
    for prop in schema(kind).get("required", []):
        assert schema(kind)["properties"][prop].get("description"), prop


def test_validating_content_skips_the_slow_iri_grammars_and_leaves_them_importable(tmp_path):
    """jsonschema would import rfc3987_syntax (a second of grammar building) in every guide's
    kernel; the kit's validators check no formats, so the loader keeps it out. The kit's own
    environment leaves that package out (tools/update_lock.py); others, such as a conda one,
    have it: a stand-in on the path plays it here. Checked in a fresh interpreter: this one
    may have imported jsonschema already."""
    import os
    import subprocess
    import sys

    stand_in = tmp_path / "rfc3987_syntax"
    stand_in.mkdir()
    (stand_in / "__init__.py").write_text(
        "def is_valid_syntax(term, value):\n    return True\n", encoding="utf-8")
    probe = ("import sys\n"
             "from tlkit.content import load\n"
             "load('protocol', 'tuning')\n"
             "assert 'jsonschema' in sys.modules, 'nothing was validated'\n"
             "assert 'rfc3987_syntax' not in sys.modules\n"
             "import rfc3987_syntax\n"
             "assert rfc3987_syntax.__file__.startswith(sys.argv[1])\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    subprocess.run([sys.executable, "-c", probe, str(tmp_path)], check=True, timeout=120, env=env)
