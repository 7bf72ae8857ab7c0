"""Red-team hand-ins: each test here is a learner trying to cheat or harm, and grading must
contain it. Marked `sandbox` (pytest -m sandbox selects them); the course helper is shared
with tests/course."""

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "course"))


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.sandbox)
