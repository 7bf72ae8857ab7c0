"""Discussion protocols as data: the records, and loading them from YAML files.

A protocol file (content/protocols/<id>.yaml) is read by the content loader and checked against
content/schemas/protocol.schema.json; the checks across fields are made here. A malformed file
raises tlkit.content.ContentError naming the file, the field, the line and the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tlkit.content.loader import Document, find, list_names, read


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

def list_protocols() -> list[str]:
    """Ids of the protocols shipped with the kit, in alphabetical order."""
    return list_names("protocol")


def load_all() -> list[Protocol]:
    return [load_protocol(protocol_id) for protocol_id in list_protocols()]


def load_protocol(id_or_path: str | Path) -> Protocol:
    """A shipped protocol by id (e.g. "tuning"), or any protocol file by path.

    Raises ContentError naming the file, the field and the fix when anything is wrong.
    Fields are named as people count, from 1: steps[2].min_minutes is the second step.
    """
    text = str(id_or_path)
    looks_like_path = isinstance(id_or_path, Path) or text.endswith((".yaml", ".yml")) \
        or "/" in text or "\\" in text
    document = read("protocol", Path(id_or_path) if looks_like_path else find("protocol", text))
    _check_consistency(document)
    return _build(document.data)


# --- Checks across fields ------------------------------------------------------------------

def _check_consistency(document: Document) -> None:
    data, fail = document.data, document.fail
    size = data["group_size"]
    if size["min"] > size["max"]:
        fail(["group_size", "min"],
             f"the smallest group ({size['min']}) is larger than the largest "
             f"({size['max']}).", "swap the two numbers, or correct one of them.")
    role_ids = []
    for index, role in enumerate(data["roles"]):
        if role["id"] in role_ids:
            fail(["roles", index, "id"], f"the role id '{role['id']}' is used for two roles.",
                 "give each role its own id.")
        role_ids.append(role["id"])
    step_names = {}
    for index, step in enumerate(data["steps"]):
        key = step["name"].strip().lower()
        if key in step_names:
            fail(["steps", index, "name"],
                 f"two steps are called '{step['name']}' (steps {step_names[key] + 1} and "
                 f"{index + 1}).",
                 "give each step its own name, e.g. add 'round 2'.")
        step_names[key] = index
        if step["min_minutes"] > step["suggested_minutes"]:
            fail(["steps", index, "min_minutes"],
                 f"the shortest time ({step['min_minutes']} minutes) is longer than the "
                 f"suggested time ({step['suggested_minutes']} minutes).",
                 "make min_minutes the same as suggested_minutes or smaller.")
        for group in ("speakers", "listeners"):
            for position, role_id in enumerate(step[group]):
                if role_id not in role_ids:
                    fail(["steps", index, group, position],
                         f"'{role_id}' is not one of the roles declared under 'roles' "
                         f"({', '.join(role_ids)}).",
                         "use one of those ids, or add the role to 'roles'.")
        both = [r for r in step["speakers"] if r in step["listeners"]]
        if both:
            fail(["steps", index, "listeners"],
                 f"'{both[0]}' is both a speaker and a listener in this step.",
                 "keep the role in only one of the two lists.")
        _check_round_words(document, index, step)


# Words in a step that time its rounds: "each round takes about 8 minutes for 5 people" and
# "the rounds take about 40 minutes". A file once said eight minutes a round for five people,
# everyone reading once, yet gave the rounds 24 minutes: the words and the number must agree.
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_PER_ROUND = re.compile(r"round takes about (\w+) minutes? for (\w+) people", re.I)
_ALL_ROUNDS = re.compile(r"rounds take about (\w+) minutes?", re.I)


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


def _check_round_words(document: Document, index: int, step: dict) -> None:
    text = " ".join([*step["prompts"], *step.get("facilitator_moves", [])])
    text = re.sub(r"\s+", " ", text)
    suggested = step["suggested_minutes"]
    for match in _PER_ROUND.finditer(text):
        minutes, people = _count(match[1]), _count(match[2])
        if minutes and people and minutes * people != suggested:
            # Everyone has a round of their own, so the step is a round per person.
            document.fail(
                ["steps", index, "suggested_minutes"],
                f"the step says a round takes about {minutes} minutes for {people} people; "
                f"with a round for each person that is about {minutes * people} minutes, but "
                f"the step suggests {suggested}.",
                f"make suggested_minutes {minutes * people}, or correct the words.")
    for match in _ALL_ROUNDS.finditer(text):
        minutes = _count(match[1])
        if minutes and minutes != suggested:
            document.fail(
                ["steps", index, "suggested_minutes"],
                f"the step says the rounds take about {minutes} minutes, but it suggests "
                f"{suggested}.", f"make suggested_minutes {minutes}, or correct the words.")


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
