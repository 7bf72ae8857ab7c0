"""Discussion protocols as data: the records, and loading them from YAML files.

A protocol file (content/protocols/<id>.yaml) is validated against protocol.schema.json;
a malformed file raises ProtocolError naming the file, the field and the fix.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from tlkit.settings import CONTENT, PROTOCOLS_DIR

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError


class ProtocolError(ValueError):
    """A protocol file is missing, malformed or inconsistent. The message says how to fix it.

    `file` and `field` (e.g. "steps[2].min_minutes", positions counted from 1; "" for the
    whole file) are kept too, for views that want to point at the problem.
    """

    def __init__(self, message: str, *, file: Path | None = None, field: str | None = None):
        super().__init__(message)
        self.file = file
        self.field = field


@dataclass(frozen=True)
class Role:
    id: str            # short key used in steps, e.g. "presenter"
    name: str          # shown to people, e.g. "Presenter"
    description: str


@dataclass(frozen=True)
class Step:
    name: str
    min_minutes: int
    suggested_minutes: int
    speakers: tuple[str, ...]      # role ids who talk in this step
    listeners: tuple[str, ...]     # role ids who stay silent and listen
    prompts: tuple[str, ...]
    facilitator_moves: tuple[str, ...] = ()


@dataclass(frozen=True)
class Protocol:
    id: str
    name: str
    originators: str
    source_note: str
    purpose: str
    group_size: tuple[int, int]
    roles: tuple[Role, ...]
    norms: tuple[str, ...]
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def total_minutes(self) -> int:
        return sum(step.suggested_minutes for step in self.steps)

    @property
    def min_minutes(self) -> int:
        return sum(step.min_minutes for step in self.steps)

    def role_name(self, role_id: str) -> str:
        return next((r.name for r in self.roles if r.id == role_id), role_id)


# --- Loading -------------------------------------------------------------------------------

SCHEMA_PATH = CONTENT / "protocol.schema.json"

# How the schema's types read to someone editing a YAML file by hand.
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list (one item per line, each starting with '- ')",
    "object": "a group of named fields (lines like 'name: value')",
    "boolean": "true or false",
}


@cache
def _validator() -> Draft202012Validator:
    # Imported here, not at the top: jsonschema takes most of a second to import, and every
    # widget imports this module for the dataclasses without ever validating a file.
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def list_protocols() -> list[str]:
    """Ids of the protocols shipped with the kit, in alphabetical order."""
    return sorted(path.stem for path in PROTOCOLS_DIR.glob("*.yaml"))


def load_all() -> list[Protocol]:
    return [load_protocol(protocol_id) for protocol_id in list_protocols()]


def load_protocol(id_or_path: str | Path) -> Protocol:
    """A shipped protocol by id (e.g. "tuning"), or any protocol file by path.

    Raises ProtocolError naming the file, the field and the fix when anything is wrong.
    Fields are named as people count, from 1: steps[2].min_minutes is the second step.
    """
    path = _find_file(id_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(
            f"Protocol file {path} is not plain text (UTF-8). "
            "Fix: open it in a text editor and save it as UTF-8.", file=path) from None
    try:
        tree = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProtocolError(_yaml_message(path, exc), file=path) from None
    if data is None:
        raise ProtocolError(
            f"Protocol file {path} is empty. Fix: copy a shipped protocol such as "
            f"{PROTOCOLS_DIR / 'tuning.yaml'} and edit it.", file=path)
    _check_duplicate_keys(path, tree)
    _check_schema(path, data, tree)
    _check_consistency(path, data, tree)
    return _build(data)


def _find_file(id_or_path: str | Path) -> Path:
    text = str(id_or_path)
    looks_like_path = isinstance(id_or_path, Path) or text.endswith((".yaml", ".yml")) \
        or "/" in text or "\\" in text
    if looks_like_path:
        path = Path(id_or_path)
        if not path.is_file():
            raise ProtocolError(
                f"There is no protocol file at {path}. Fix: check the folder and the spelling "
                "of the file name.", file=path)
        return path
    path = PROTOCOLS_DIR / f"{text}.yaml"
    if not path.is_file():
        available = list_protocols()
        close = difflib.get_close_matches(text, available, n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        raise ProtocolError(
            f"There is no protocol called '{text}'. {hint}"
            f"The protocols available are: {', '.join(available)}.")
    return path


def _yaml_message(path: Path, exc: yaml.YAMLError) -> str:
    # YAML notices a mistake where it gets stuck, often a line or two after the real cause,
    # so point at that line and ask people to look just above it too.
    mark = getattr(exc, "problem_mark", None)
    where = f" near line {mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or "the layout could not be read"
    return (
        f"Protocol file {path} has a layout (YAML) error{where}: {problem}. "
        "Fix: look at that line and the few lines above it. Indent with spaces, not tabs, "
        "and line up items at the same level; put any text that contains ': ' or ' #' "
        "inside double quotes.")


# --- Pointing at a field -------------------------------------------------------------------

def _field_name(parts) -> str:
    """A field path as people write it: steps[2].min_minutes (positions count from 1)."""
    out = ""
    for part in parts:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _node_at(tree: yaml.Node | None, parts, exact: bool = False) -> yaml.Node | None:
    """The YAML node at a field path, or the deepest existing one (for a missing field).

    With exact=True, None unless the whole path exists.
    """
    node = tree
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            child = node.value[part]
        else:
            child = None
        if child is None:
            return None if exact else node
        node = child
    return node


def _problem(path: Path, tree, parts, what: str, fix: str) -> str:
    node = _node_at(tree, parts)
    where = [f"line {node.start_mark.line + 1}"] if node is not None else []
    if len(parts) > 1 and parts[0] == "steps" and isinstance(parts[1], int):
        name = _node_at(tree, ["steps", parts[1], "name"], exact=True)
        if isinstance(name, yaml.ScalarNode):
            where.insert(0, f"step '{name.value}'")
    place = f" ({', '.join(where)})" if where else ""
    field_name = f", field {_field_name(parts)}" if parts else ""
    return f"Protocol file {path}{field_name}{place}: {what} Fix: {fix}"


def _raise(path: Path, tree, parts, what: str, fix: str):
    raise ProtocolError(_problem(path, tree, parts, what, fix),
                        file=path, field=_field_name(parts))


def _check_duplicate_keys(path: Path, tree) -> None:
    # YAML quietly keeps the last of two equal keys, which would drop prompts someone wrote.
    def walk(node, parts):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if key.value in seen:
                    _raise(path, tree, [*parts, key.value],
                           f"'{key.value}' appears twice in the same place "
                           f"(the second time on line {key.start_mark.line + 1}).",
                           "merge the two into one entry; the kit would otherwise keep only "
                           "the second.")
                seen.add(key.value)
                walk(value, [*parts, key.value])
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, [*parts, index])

    walk(tree, [])


# --- Schema errors in plain words ----------------------------------------------------------

def _shown(value) -> str:
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of named fields"
    if value is None:
        return "empty"
    return f"{value}"


def _describe(error: ValidationError) -> tuple[list, str, str]:
    """(field path, what is wrong, how to fix it) for one jsonschema error."""
    parts = list(error.absolute_path)
    kind, value, schema = error.validator, error.instance, error.schema
    if kind == "required":
        missing = next(k for k in error.validator_value if k not in value)
        meaning = schema["properties"][missing].get("description", "")
        return ([*parts, missing], "this field is missing.",
                f"add a line '{missing}: ...' giving {meaning}.")
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted((k for k in value if k not in allowed), key=str)[0]
        close = difflib.get_close_matches(str(extra), allowed, n=1)
        hint = f"did you mean '{close[0]}'? Otherwise " if close else ""
        return ([*parts, str(extra)], "the kit does not know this field.",
                f"{hint}remove it, or use one of: {', '.join(allowed)}.")
    if kind == "type":
        wanted = _TYPE_WORDS[schema["type"]]
        if value is None:
            return parts, f"this is empty, but it should be {wanted}.", \
                f"write {wanted} after the colon."
        fixes = {"integer": "write a whole number of minutes with no words, e.g. 5.",
                 "string": "put the text inside double quotes so it is read as text."}
        return (parts, f"this should be {wanted}, but it is {_shown(value)}.",
                fixes.get(schema["type"], f"change it to {wanted}."))
    if kind == "minimum":
        return (parts, f"this must be at least {error.validator_value}, but it is {value}.",
                f"use {error.validator_value} or more.")
    if kind == "minLength":
        return parts, "this text is empty.", "write something here, or remove the line."
    if kind == "minItems":
        return (parts, "this list is empty.",
                "add at least one item on a new line starting with '- '.")
    if kind == "uniqueItems":
        repeated = next(v for i, v in enumerate(value) if v in value[:i])
        return (parts, f"'{repeated}' is listed more than once.",
                "list each role only once.")
    if kind == "pattern":
        return (parts, f"'{value}' cannot be used as an id.",
                "use only lower-case letters and digits, with single hyphens between words, "
                "e.g. looking-at-data.")
    # Every keyword the schema uses is handled above (a unit test feeds a failing file for
    # each one); this is a safety net if the schema grows a new one.
    return parts, "this value is not in the form the kit expects.", \
        f"compare it with the same field in {PROTOCOLS_DIR / 'tuning.yaml'}."


_MAX_LISTED = 5


def _check_schema(path: Path, data, tree) -> None:
    # Report in file order: by line, then by field path with positions kept as numbers
    # (as text, steps[10] would sort before steps[2]).
    def file_order(error: ValidationError):
        node = _node_at(tree, error.absolute_path)
        line = node.start_mark.line if node is not None else 0
        return line, [(isinstance(p, str), p) for p in error.absolute_path]

    errors = sorted(_validator().iter_errors(data), key=file_order)
    if not errors:
        return
    problems = [_describe(error) for error in errors]
    lines = [_problem(path, tree, *problem) for problem in problems[:_MAX_LISTED]]
    if len(problems) > _MAX_LISTED:
        lines.append(f"... and {len(problems) - _MAX_LISTED} more; fix these first.")
    raise ProtocolError("\n".join(lines), file=path, field=_field_name(problems[0][0]))


# --- Checks across fields ------------------------------------------------------------------

def _check_consistency(path: Path, data: dict, tree) -> None:
    if path.stem != data["id"]:
        _raise(path, tree, ["id"],
               f"the id '{data['id']}' does not match the file name '{path.name}'.",
               f"make them the same: rename the file to {data['id']}.yaml, or set "
               f"'id: {path.stem}'.")
    size = data["group_size"]
    if size["min"] > size["max"]:
        _raise(path, tree, ["group_size", "min"],
               f"the smallest group ({size['min']}) is larger than the largest "
               f"({size['max']}).", "swap the two numbers, or correct one of them.")
    role_ids = []
    for index, role in enumerate(data["roles"]):
        if role["id"] in role_ids:
            _raise(path, tree, ["roles", index, "id"],
                   f"the role id '{role['id']}' is used for two roles.",
                   "give each role its own id.")
        role_ids.append(role["id"])
    step_names = {}
    for index, step in enumerate(data["steps"]):
        key = step["name"].strip().lower()
        if key in step_names:
            _raise(path, tree, ["steps", index, "name"],
                   f"two steps are called '{step['name']}' (steps {step_names[key] + 1} and "
                   f"{index + 1}).",
                   "give each step its own name, e.g. add 'round 2'.")
        step_names[key] = index
        if step["min_minutes"] > step["suggested_minutes"]:
            _raise(path, tree, ["steps", index, "min_minutes"],
                   f"the shortest time ({step['min_minutes']} minutes) is longer than the "
                   f"suggested time ({step['suggested_minutes']} minutes).",
                   "make min_minutes the same as suggested_minutes or smaller.")
        for group in ("speakers", "listeners"):
            for position, role_id in enumerate(step[group]):
                if role_id not in role_ids:
                    _raise(path, tree, ["steps", index, group, position],
                           f"'{role_id}' is not one of the roles declared under 'roles' "
                           f"({', '.join(role_ids)}).",
                           "use one of those ids, or add the role to 'roles'.")
        both = [r for r in step["speakers"] if r in step["listeners"]]
        if both:
            _raise(path, tree, ["steps", index, "listeners"],
                   f"'{both[0]}' is both a speaker and a listener in this step.",
                   "keep the role in only one of the two lists.")


def _build(data: dict) -> Protocol:
    return Protocol(
        id=data["id"], name=data["name"], originators=data["originators"],
        source_note=data["source_note"], purpose=data["purpose"],
        group_size=(data["group_size"]["min"], data["group_size"]["max"]),
        roles=tuple(Role(r["id"], r["name"], r["description"]) for r in data["roles"]),
        norms=tuple(data["norms"]),
        steps=tuple(
            Step(name=s["name"], min_minutes=s["min_minutes"],
                 suggested_minutes=s["suggested_minutes"], speakers=tuple(s["speakers"]),
                 listeners=tuple(s["listeners"]), prompts=tuple(s["prompts"]),
                 facilitator_moves=tuple(s.get("facilitator_moves", ())))
            for s in data["steps"]),
    )


# --- Who speaks and who listens, in words for views --------------------------------------

def _names(protocol: Protocol, role_ids: tuple[str, ...]) -> str:
    if role_ids and set(role_ids) == {r.id for r in protocol.roles}:
        return "Everyone"
    return ", ".join(protocol.role_name(r) for r in role_ids) or "No one"


def who_speaks(protocol: Protocol, step: Step) -> str:
    """Role names of the speakers, e.g. "Presenter", "Everyone" or "No one"."""
    return _names(protocol, step.speakers)


def who_listens(protocol: Protocol, step: Step) -> str:
    return _names(protocol, step.listeners)
