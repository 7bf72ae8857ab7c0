"""The kit's rooms keep their directions: logic never imports widgets, ops never imports
widgets, notebooks import the installed kit only."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOGIC = ROOT / "src" / "tlkit"
WIDGETS = ROOT / "widgets"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _logic_files():
    return sorted(LOGIC.rglob("*.py"))


@pytest.mark.parametrize("path", _logic_files(), ids=lambda p: str(p.relative_to(LOGIC)))
def test_logic_never_imports_widgets(path):
    bad = {name for name in _imports(path)
           if name.split(".")[0] == "ipywidgets" or name.startswith("tlkit.widgets")}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}: logic stays apart from widgets"


@pytest.mark.parametrize("path", sorted((LOGIC / "ops").rglob("*.py")),
                         ids=lambda p: p.name)
def test_ops_never_imports_widgets_or_serving(path):
    bad = {name for name in _imports(path)
           if name.startswith(("tlkit.widgets", "tlkit.serve", "ipywidgets", "voila"))}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_every_room_is_a_package_with_a_docstring():
    for folder in [*LOGIC.iterdir(), *WIDGETS.iterdir()]:
        if folder.is_dir() and any(folder.glob("*.py")):
            init = folder / "__init__.py"
            assert init.is_file(), f"{folder.relative_to(ROOT)} has no __init__.py"
            assert ast.get_docstring(ast.parse(init.read_text())), (
                f"{init.relative_to(ROOT)} should say in one line what the room holds")


def test_logic_top_level_stays_small():
    # Features live in rooms; the top level holds only the entry points and settings.
    loose = sorted(p.name for p in LOGIC.glob("*.py"))
    assert loose == ["__init__.py", "cli.py", "lazy.py", "settings.py"], loose


def _notebooks():
    return sorted([*ROOT.glob("modules/*/*.ipynb"), *ROOT.glob("facilitator/*.ipynb")])


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_import_the_installed_kit_only(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code":
            continue
        assert "sys.path" not in source, f"{path.name} edits sys.path"
        for line in source.splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")) and "tlkit" not in stripped:
                module = stripped.split()[1].split(".")[0]
                assert module in {"IPython", "pandas", "__future__"}, (
                    f"{path.name} imports {module!r}; notebooks use the kit (tlkit) only")
