"""Discussion protocols as data: the records, and loading them from YAML files.

A protocol file (content/protocols/<id>.yaml) is validated against protocol.schema.json;
a malformed file raises ProtocolError naming the file, the field and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ProtocolError(ValueError):
    """A protocol file is missing, malformed or inconsistent. The message says how to fix it."""


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
