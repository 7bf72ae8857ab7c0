"""The one way content files are read: safe YAML, a size limit, a versioned JSON Schema per
kind, and one error class whose messages name the file, the field, the line and the fix.

`load(kind, name)` reads a shipped file (content/<folder>/<name>.yaml), `load_file(kind, path)`
any file; both return plain, validated data (dicts and lists) that the domain modules turn into
their records. `read(kind, path)` also returns the parsed YAML tree, so a domain module's checks
across fields can point at a line with `Document.fail`.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import yaml

from tlkit.settings import CONTENT

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

SCHEMAS_DIR = CONTENT / "schemas"
CONTENT_LIMIT = 256 * 1024          # bytes; the largest shipped content file is under 20 KB
CODEBOOK_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str            # the key used in load(): "protocol"
    folder: str          # where the shipped files live, under content/
    noun: str            # how messages name a file of this kind: "Protocol file ..."
    example: str = ""    # a shipped file to copy from, named in fixes
    max_bytes: int = CONTENT_LIMIT
    match_file_name: bool = False   # the file's `id` must equal its file name


KINDS = {kind.name: kind for kind in (
    Kind("protocol", "protocols", "Protocol", "tuning", match_file_name=True),
    Kind("rubric", "rubrics", "Rubric", "student-led-discussion"),
    Kind("episode", "episodes", "Episode", "voting-age-discussion"),
    Kind("statements", "statements", "Feedback statements", "feedback"),
    Kind("scales", "scales", "Answer scales", "survey"),
    Kind("wordlist", "wordlists", "Word list", "judgement"),
    Kind("questions", "questions", "Coaching questions", "coaching"),
    Kind("sources", "sources", "Sources", "agreement"),
    Kind("bands", "bands", "Kappa bands", "landis-koch"),
    Kind("self-assessment", "self-assessment", "Self-assessment", "teacher-leader"),
    Kind("readiness", "readiness", "Readiness conditions", "school-conditions"),
    Kind("design", "designs", "Design", "every-other-week", match_file_name=True),
    Kind("pd-features", "features", "PD features", "effective-pd"),
    Kind("session-audit", "audits", "Session audit", "session-formats"),
    # Codebooks live next to their datasets, not under content/.
    Kind("codebook", "", "Codebook", max_bytes=CODEBOOK_LIMIT),
    Kind("survey-links", "survey-links", "Survey links", "spring-to-eoy"),
    Kind("reflection-protocol", "reflection-protocols", "Reflection protocol",
         "notice-wonder-try", match_file_name=True),
    Kind("instrument", "instruments", "Evaluation instrument", "follow-up"),
)}


class ContentError(ValueError):
    """A content file is missing, malformed or inconsistent. The message says how to fix it.

    `file`, `field` (e.g. "steps[2].min_minutes", positions counted from 1; "" for the whole
    file) and `line` (from 1, None when unknown) are kept for views that point at the problem.
    """

    def __init__(self, message: str, *, file: Path | None = None, field: str | None = None,
                 line: int | None = None):
        super().__init__(message)
        self.file = file
        self.field = field
        self.line = line


# --- Finding files -------------------------------------------------------------------------

def kind_of(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise ContentError(f"The kit has no content of kind '{kind}'. "
                           f"Fix: use one of: {', '.join(KINDS)}.") from None


def folder_of(kind: str) -> Path:
    return CONTENT / kind_of(kind).folder


def list_names(kind: str, folder: Path | None = None) -> list[str]:
    """Names of the files of this kind (shipped, or in `folder`), in alphabetical order."""
    where = Path(folder) if folder is not None else folder_of(kind)
    return sorted(path.stem for path in where.glob("*.yaml")) if where.is_dir() else []


def load(kind: str, name: str, folder: Path | None = None) -> dict:
    """A shipped file by name (e.g. load("protocol", "tuning")), or one in `folder`."""
    return read(kind, find(kind, name, folder)).data


def find(kind: str, name: str, folder: Path | None = None) -> Path:
    """The path of the file called `name`; a ContentError suggesting a close name if none."""
    info = kind_of(kind)
    where = Path(folder) if folder is not None else folder_of(kind)
    path = where / f"{name}.yaml"
    if path.is_file():
        return path
    available = list_names(kind, where)
    close = difflib.get_close_matches(str(name), available, n=1)
    hint = f"Did you mean '{close[0]}'? " if close else ""
    noun = info.noun.lower()
    raise ContentError(
        f"There is no {noun} called '{name}' ({path.name} in {where}). {hint}"
        f"Fix: use one of the {noun} files there: {', '.join(available) or 'none yet'}.",
        file=path)


def load_file(kind: str, path: Path | str) -> dict:
    """Any file of this kind, by path: validated plain data, or a ContentError."""
    return read(kind, path).data


# --- Reading safely ------------------------------------------------------------------------

class _AliasFound(yaml.YAMLError):
    def __init__(self, mark):
        super().__init__("anchor or alias")
        self.mark = mark


class _TooDeep(yaml.YAMLError):
    def __init__(self, mark):
        super().__init__("nested too deeply")
        self.mark = mark


MAX_DEPTH = 40      # levels of lists and blocks inside each other; shipped files use under 10


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that stops at the first anchor (&name) or alias (*name), and at lists or
    blocks nested more than MAX_DEPTH levels.

    Content never needs either. Aliases nested a few levels deep expand into billions of items
    (the "billion laughs" file), which would tie the kit up for minutes and fill the memory;
    thousands of levels of nesting would stop Python itself (a RecursionError).
    """

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _AliasFound(event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise _TooDeep(event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@dataclass(frozen=True)
class Document:
    """One checked file: its data, its YAML tree (for line numbers) and where it came from."""

    kind: Kind
    path: Path
    data: Any
    tree: yaml.Node | None

    def problem(self, parts, what: str, fix: str) -> str:
        return _problem(self.kind, self.path, self.tree, list(parts), what, fix)

    def fail(self, parts, what: str, fix: str) -> NoReturn:
        """Raise a ContentError for the field at `parts` (e.g. ["steps", 2, "name"])."""
        parts = list(parts)
        raise ContentError(self.problem(parts, what, fix), file=self.path,
                           field=field_name(parts), line=_line(self.tree, parts))


def read(kind: str, path: Path | str) -> Document:
    """Read, parse and check one file. Raises ContentError naming file, field, line and fix."""
    info = kind_of(kind)
    path = Path(path)
    noun = f"{info.noun} file {path}"
    copy_hint = (f" (copy {folder_of(kind) / (info.example + '.yaml')} to start from)"
                 if info.example else "")
    if not path.is_file():
        known = list_names(kind, path.parent)
        listed = f" The {info.noun.lower()} files in that folder are: {', '.join(known)}." \
            if known else ""
        raise ContentError(f"There is no {info.noun.lower()} file at {path}.{listed} "
                           "Fix: check the folder and the spelling of the file name.", file=path)
    size = path.stat().st_size
    if size > info.max_bytes:
        raise ContentError(
            f"{noun} is {size // 1024:,} KB, more than the {info.max_bytes // 1024} KB a "
            f"{info.noun.lower()} file may be. Fix: check it is the right file; a real one is "
            "a few pages of text.", file=path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(f"{noun} is not plain text (UTF-8). "
                           "Fix: open it in a text editor and save it as UTF-8.",
                           file=path) from None
    tree, data = _parse(text, noun, path)
    if data is None:
        raise ContentError(f"{noun} is empty. Fix: write its fields{copy_hint}.", file=path)
    document = Document(info, path, data, tree)
    _check_duplicate_keys(document)
    _check_version(document)
    if isinstance(data, dict) and "schema_version" not in data:
        data["schema_version"] = schema_version(kind)   # files may leave it out
    _check_schema(document)
    if info.match_file_name and path.stem != data["id"]:
        document.fail(["id"], f"the id '{data['id']}' does not match the file name "
                      f"'{path.name}'.",
                      f"make them the same: rename the file to {data['id']}.yaml, or set "
                      f"'id: {path.stem}'.")
    return document


def read_yaml(path: Path | str, noun: str | None = None, max_bytes: int = CONTENT_LIMIT) -> Any:
    """Any YAML file the kit reads that has no schema here (the course manifest, activity
    definitions, templates): its plain data, read with the same protections as content files
    (a size limit, no anchors or aliases, a depth limit). Raises ContentError with a sentence,
    or FileNotFoundError when there is no file."""
    path = Path(path)
    noun = noun or f"The file {path}"
    with path.open("rb") as stream:
        raw = stream.read(max_bytes + 1)     # never more than the limit, even if it grows
    if len(raw) > max_bytes:
        raise ContentError(f"{noun} is more than the {max_bytes // 1024} KB it may be. Fix: "
                           "check it is the right file; a real one is a few pages of text.",
                           file=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(f"{noun} is not plain text (UTF-8). "
                           "Fix: open it in a text editor and save it as UTF-8.",
                           file=path) from None
    return _parse(text, noun, path)[1]


def _parse(text: str, noun: str, path: Path):
    loader = _NoAliasLoader(text)
    try:
        tree = loader.get_single_node()
        data = loader.construct_document(tree) if tree is not None else None
    except _AliasFound as found:
        raise ContentError(
            f"{noun} uses a YAML anchor or alias ('&' or '*' before a name) near line "
            f"{found.mark.line + 1}. Fix: write the text out in full each time; content files "
            "do not use anchors or aliases.", file=path, line=found.mark.line + 1) from None
    except (_TooDeep, RecursionError) as deep:
        mark = getattr(deep, "mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        raise ContentError(
            f"{noun} has lists or blocks inside each other more than {MAX_DEPTH} levels "
            f"deep{where}. Fix: check it is the right file; a real one has a few levels.",
            file=path, line=mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as exc:
        # YAML notices a mistake where it gets stuck, often a line or two after the real
        # cause, so point at that line and ask people to look just above it too.
        mark = getattr(exc, "problem_mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "the layout could not be read"
        raise ContentError(
            f"{noun} has a layout (YAML) error{where}: {problem}. "
            "Fix: look at that line and the few lines above it. Indent with spaces, not tabs, "
            "and line up items at the same level; put any text that contains ': ' or ' #' "
            "inside double quotes.", file=path,
            line=mark.line + 1 if mark is not None else None) from None
    finally:
        loader.dispose()
    return tree, data


# --- Schemas and versions ------------------------------------------------------------------

def schema_path(kind: str) -> Path:
    return SCHEMAS_DIR / f"{kind_of(kind).name}.schema.json"


@cache
def schema(kind: str) -> dict:
    return json.loads(schema_path(kind).read_text(encoding="utf-8"))


def schema_version(kind: str) -> int:
    """The version this kit reads, from the schema's $id ("tlkit/protocol/1" -> 1)."""
    return int(schema(kind)["$id"].rsplit("/", 1)[1])


def _import_jsonschema():
    """jsonschema, imported without rfc3987_syntax. Where that package is installed (Jupyter
    brings it; the kit's own lock leaves it out, a conda or hub environment may not), jsonschema
    imports it for the "iri" format, and it builds some forty grammars
    as it is imported: about a second of every guide's and module's first cell. The kit's
    validators check no formats, so nothing is lost; once jsonschema is in, the package can be
    imported as usual by whatever else needs it."""
    import sys

    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return sys.modules.get("jsonschema") or __import__("jsonschema")
    sys.modules["rfc3987_syntax"] = None    # an import of it now fails: jsonschema skips it
    try:
        import jsonschema
    finally:
        del sys.modules["rfc3987_syntax"]
    return jsonschema


@cache
def _validator(kind: str) -> Draft202012Validator:
    # Imported here, not at the top: jsonschema takes a while to import, and every widget
    # imports the domain modules for their records without ever validating a file.
    Draft202012Validator = _import_jsonschema().Draft202012Validator

    Draft202012Validator.check_schema(schema(kind))
    return Draft202012Validator(schema(kind))


def _check_version(document: Document) -> None:
    data = document.data
    if not isinstance(data, dict) or "schema_version" not in data:
        return
    wanted = schema_version(document.kind.name)
    found = data["schema_version"]
    if found == wanted and not isinstance(found, bool):
        return
    if isinstance(found, int) and not isinstance(found, bool) and found > wanted:
        document.fail(["schema_version"],
                      f"this file is written for version {found} of the "
                      f"{document.kind.noun.lower()} format, but this kit reads version "
                      f"{wanted}.", "update the kit (a newer kit reads it), or ask whoever "
                      f"wrote the file for a version {wanted} copy.")
    document.fail(["schema_version"],
                  f"the format version is {_shown(found)}, but this kit reads version "
                  f"{wanted}.", f"write 'schema_version: {wanted}'.")


# --- Pointing at a field -------------------------------------------------------------------

def field_name(parts) -> str:
    """A field path as people write it: steps[2].min_minutes (positions count from 1)."""
    out = ""
    for part in parts:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _key(node) -> Any:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _node_at(tree: yaml.Node | None, parts, exact: bool = False) -> yaml.Node | None:
    """The YAML node at a field path, or the deepest existing one (for a missing field).

    With exact=True, None unless the whole path exists.
    """
    node = tree
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if _key(k) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            child = node.value[part]
        else:
            child = None
        if child is None:
            return None if exact else node
        node = child
    return node


def _line(tree, parts) -> int | None:
    node = _node_at(tree, parts)
    return node.start_mark.line + 1 if node is not None else None


# What one item of a list is called, for "step 'Clarifying questions'".
_ITEM_WORDS = {"steps": "step", "look_fors": "look-for", "statements": "statement",
               "notes": "note", "items": "item", "conditions": "condition", "bands": "band",
               "roles": "role", "sources": "source", "columns": "column", "scales": "scale",
               "features": "feature", "formats": "format", "examples": "example",
               "segments": "segment"}


def _problem(kind: Kind, path: Path, tree, parts, what: str, fix: str) -> str:
    where = []
    line = _line(tree, parts)
    if line is not None:
        where.append(f"line {line}")
    if len(parts) > 1 and isinstance(parts[1], int) and parts[0] in _ITEM_WORDS:
        for label in ("name", "id"):
            node = _node_at(tree, [parts[0], parts[1], label], exact=True)
            if isinstance(node, yaml.ScalarNode) and node.value:
                where.insert(0, f"{_ITEM_WORDS[parts[0]]} '{node.value}'")
                break
    place = f" ({', '.join(where)})" if where else ""
    field = f", field {field_name(parts)}" if parts else ""
    return f"{kind.noun} file {path}{field}{place}: {what} Fix: {fix}"


def _check_duplicate_keys(document: Document) -> None:
    # YAML quietly keeps the last of two equal keys, which would drop text someone wrote.
    def walk(node, parts):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                name = _key(key)
                if name in seen:
                    document.fail([*parts, name],
                                  f"'{name}' appears twice in the same place "
                                  f"(the second time on line {key.start_mark.line + 1}).",
                                  "merge the two into one entry; the kit would otherwise keep "
                                  "only the second.")
                seen.add(name)
                walk(value, [*parts, name])
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, [*parts, index])

    walk(document.tree, [])


# --- Schema errors in plain words ----------------------------------------------------------

# How the schema's types read to someone editing a YAML file by hand.
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list (one item per line, each starting with '- ')",
    "object": "a group of named fields (lines like 'name: value')",
    "boolean": "true or false",
    "null": "left empty",
}


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


def _describe(kind: Kind, error: ValidationError) -> tuple[list, str, str]:
    """(field path, what is wrong, how to fix it) for one jsonschema error."""
    parts = list(error.absolute_path)
    keyword, value, rule = error.validator, error.instance, error.schema
    limit = error.validator_value
    if keyword == "required":
        missing = next(k for k in limit if k not in value)
        meaning = rule.get("properties", {}).get(missing, {}).get("description", "its value")
        return ([*parts, missing], "this field is missing.",
                f"add a line '{missing}: ...' giving {meaning}.")
    if keyword == "additionalProperties":
        allowed = sorted(rule.get("properties", {}))
        extra = sorted((str(k) for k in value if k not in allowed))[0]
        close = difflib.get_close_matches(extra, allowed, n=1)
        hint = f"did you mean '{close[0]}'? Otherwise " if close else ""
        return ([*parts, extra], "the kit does not know this field.",
                f"{hint}remove it, or use one of: {', '.join(allowed)}.")
    if keyword == "type":
        wanted = " or ".join(_TYPE_WORDS[t] for t in ([rule["type"]] if isinstance(
            rule["type"], str) else rule["type"]))
        if value is None:
            return parts, f"this is empty, but it should be {wanted}.", \
                f"write {wanted} after the colon."
        fixes = {"integer": "write a whole number with no words, e.g. 5.",
                 "string": "put the text inside double quotes so it is read as text."}
        if parts and "minutes" in str(parts[-1]):
            fixes["integer"] = "write a whole number of minutes with no words, e.g. 5."
        main = rule["type"] if isinstance(rule["type"], str) else ""
        return (parts, f"this should be {wanted}, but it is {_shown(value)}.",
                fixes.get(main, f"change it to {wanted}."))
    if keyword in ("minimum", "maximum"):
        word, more = ("at least", "or more") if keyword == "minimum" else ("at most", "or less")
        return (parts, f"this must be {word} {limit}, but it is {value}.",
                f"use {limit} {more}.")
    if keyword == "minLength":
        return parts, "this text is empty.", "write something here, or remove the line."
    if keyword == "maxLength":
        return (parts, f"this text is {len(value):,} characters long, more than the {limit:,} "
                "allowed.", "shorten it, or split it into several items.")
    if keyword in ("minItems", "minProperties"):
        if not value:
            return (parts, "this list is empty." if keyword == "minItems" else
                    "this has no entries.", "add at least one item on a new line"
                    + (" starting with '- '." if keyword == "minItems" else "."))
        return (parts, f"this needs at least {limit} entries, but has {len(value)}.",
                f"add entries until there are {limit}.")
    if keyword in ("maxItems", "maxProperties"):
        return (parts, f"this has {len(value):,} entries, more than the {limit:,} a "
                f"{kind.noun.lower()} file may hold.",
                "keep the list to what a group can use in one session; split it into "
                "several files if needed.")
    if keyword == "uniqueItems":
        repeated = next(v for i, v in enumerate(value) if v in value[:i])
        return (parts, f"'{repeated}' is listed more than once.",
                "list each one only once.")
    if keyword == "pattern":
        if parts and str(parts[-1]).endswith("id") or parts and parts[-1] == "rubric":
            return (parts, f"'{value}' cannot be used as an id.",
                    "use only lower-case letters and digits, with single hyphens between "
                    "words, e.g. looking-at-data.")
        return (parts, f"'{value}' is not in the expected form.",
                f"write {rule.get('description', 'it like the example files')}.")
    if keyword in ("enum", "const"):
        choices = [repr(c) if isinstance(c, str) else str(c)
                   for c in (limit if keyword == "enum" else [limit])]
        use = " or ".join(choices) if len(choices) <= 2 else "one of: " + ", ".join(choices)
        return (parts, f"{_shown(value)} is not one of the values the kit knows.", f"use {use}.")
    # Every keyword the schemas use is handled above (a unit test checks each schema); this
    # is a safety net if a schema grows a new one.
    example = f" in {folder_of(kind.name) / (kind.example + '.yaml')}" if kind.example else ""
    return parts, "this value is not in the form the kit expects.", \
        f"compare it with the same field{example}."


HANDLED_KEYWORDS = frozenset({
    "required", "additionalProperties", "type", "minimum", "maximum", "minLength",
    "maxLength", "minItems", "minProperties", "maxItems", "maxProperties", "uniqueItems",
    "pattern", "enum", "const"})

_MAX_LISTED = 5


def _check_schema(document: Document) -> None:
    tree = document.tree

    # Report in file order: by line, then by field path with positions kept as numbers
    # (as text, steps[10] would sort before steps[2]).
    def file_order(error: ValidationError):
        node = _node_at(tree, error.absolute_path)
        line = node.start_mark.line if node is not None else 0
        return line, [(isinstance(p, str), str(p)) for p in error.absolute_path]

    # A 28,000-step file fails maxItems once; its items are not each reported.
    errors = sorted(_validator(document.kind.name).iter_errors(document.data), key=file_order)
    if not errors:
        return
    problems = [_describe(document.kind, error) for error in errors]
    lines = [document.problem(*problem) for problem in problems[:_MAX_LISTED]]
    if len(problems) > _MAX_LISTED:
        lines.append(f"... and {len(problems) - _MAX_LISTED} more; fix these first.")
    first = problems[0][0]
    raise ContentError("\n".join(lines), file=document.path, field=field_name(first),
                       line=_line(tree, first))
