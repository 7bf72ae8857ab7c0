"""Notebooks are committed clean: valid, no outputs or execution counts, no sys.path edits.

Outputs would leak solutions and facilitator material into history and make diffs
unreadable; sys.path edits would hide that a notebook does not import the installed kit.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from support import ROOT

SYS_PATH_EDIT = re.compile(
    r"sys\.path\s*(\.\s*(insert|append|extend|remove)\b|\[[^]]*\]\s*=|\+?=)|site\.addsitedir"
)


def _notebooks() -> list[Path]:
    """Notebooks git would commit: tracked or new, minus what .gitignore excludes."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.ipynb"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.split("\n")
        return sorted(ROOT / name for name in listed if name and (ROOT / name).exists())
    except (OSError, subprocess.CalledProcessError):  # not a git checkout
        return sorted(p for folder in ("modules", "facilitator")
                      for p in (ROOT / folder).rglob("*.ipynb")
                      if ".ipynb_checkpoints" not in p.parts)


NOTEBOOKS = _notebooks()


def test_sys_path_pattern_catches_edits_and_spares_reads():
    for edit in ("sys.path.insert(0, '..')", "sys.path.append('src')", "sys.path += ['x']",
                 "sys.path = ['x'] + sys.path", "sys.path[0] = '/tmp'", "site.addsitedir('..')"):
        assert SYS_PATH_EDIT.search(edit), edit
    for read in ("print(sys.path)", "'src' in sys.path", "paths = list(sys.path)"):
        assert not SYS_PATH_EDIT.search(read), read


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for number, cell in enumerate(nb.cells, start=1):
        where = f"{path.relative_to(ROOT)}, cell {number}"
        if cell.cell_type != "code":
            continue
        assert not cell.outputs, f"{where} has saved output: clear all outputs before committing"
        assert cell.execution_count is None, f"{where} has an execution count: clear outputs"
        assert not SYS_PATH_EDIT.search(cell.source), (
            f"{where} edits sys.path: import the installed kit (`from tlkit... import`) instead")
