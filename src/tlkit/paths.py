"""Where the kit's files live: packaged content, the course tree, and saved state."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

CONTENT = Path(str(resources.files("tlkit") / "content"))
PROTOCOLS_DIR = CONTENT / "protocols"
RUBRICS_DIR = CONTENT / "rubrics"


def course_root(start: Path | None = None) -> Path:
    """The folder holding modules/ and facilitator/.

    TLKIT_COURSE_ROOT wins; otherwise search upwards from `start` (default: the current
    folder, which is where Jupyter and Voila run a notebook), then from this source tree.
    """
    env = os.environ.get("TLKIT_COURSE_ROOT")
    if env:
        return Path(env).resolve()
    candidates = [Path(start or Path.cwd()).resolve(), Path(__file__).resolve()]
    for first in candidates:
        for folder in [first, *first.parents]:
            if (folder / "modules").is_dir() and (folder / "facilitator").is_dir():
                return folder
    raise FileNotFoundError(
        "Could not find the course folder (the one holding modules/ and facilitator/). "
        "Run from inside it, or set TLKIT_COURSE_ROOT to its path."
    )


def state_dir() -> Path:
    """Where widgets save their state (runner clocks, observation notes) between reloads.

    TLKIT_STATE_DIR wins; otherwise ~/.tlkit/state. Kept outside the course tree so a new
    release of the course never overwrites what a group or a learner has done.
    """
    env = os.environ.get("TLKIT_STATE_DIR")
    folder = Path(env) if env else Path.home() / ".tlkit" / "state"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
