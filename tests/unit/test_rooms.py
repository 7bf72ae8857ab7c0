"""The kit's rooms keep one layer order: a room imports only rooms in lower layers (every import,
including those inside functions), no modules import each other in a circle, logic never imports
widgets, notebooks import the installed kit only."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOGIC = ROOT / "src" / "tlkit"
WIDGETS = ROOT / "widgets"
DATASETS = ROOT / "datasets"
# Where each part of the installed package lives (pyproject.toml's package-dir).
PACKAGE_DIRS = {"tlkit": LOGIC, "tlkit.widgets": WIDGETS, "tlkit.datasets": DATASETS}

# The one layer order, lowest first. A room imports its own modules and rooms of lower layers;
# rooms sharing a layer do not import each other. A room is a folder (tlkit.practice,
# tlkit.widgets.live) or a top-level module (tlkit.settings, tlkit.cli); "widgets" is the
# widgets package itself with its shared `common`.
LAYERS = (
    ("tlkit", "settings", "lazy", "atomic", "datasets"),
    ("content",),
    ("data", "charts"),
    ("practice",),
    ("printables",),
    ("course", "store"),     # the course runs practices; the store keeps their records
    ("live", "explore", "planning", "ops", "serve"),
    ("thread",),             # between-session reflection threads, over the live database
    ("portfolio", "room", "evaluation"),   # gathers saved work; serves the room; evaluates the course
    ("widgets",),
    ("widgets.practice",),
    ("widgets.course", "widgets.live", "widgets.explore", "widgets.planning",
     "widgets.thread"),
    ("cli",),
)
LAYER = {room: depth for depth, rooms in enumerate(LAYERS) for room in rooms}


def _module_name(path: Path) -> str:
    for package, folder in sorted(PACKAGE_DIRS.items(), key=lambda item: -len(item[0])):
        if path.is_relative_to(folder):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            return ".".join([package, *parts])
    raise ValueError(path)


def _kit_files() -> list[Path]:
    return sorted(p for folder in PACKAGE_DIRS.values() for p in folder.rglob("*.py"))


MODULES = {_module_name(p): p for p in _kit_files()}


def _room(module: str) -> str:
    parts = module.split(".")
    if parts[:2] == ["tlkit", "widgets"]:
        return ".".join(parts[1:3]) if len(parts) > 2 and parts[2] != "common" else "widgets"
    return parts[1] if len(parts) > 1 else "tlkit"


def _kit_imports(path: Path) -> set[str]:
    """Every tlkit module `path` imports, wherever the import sits (relative ones resolved)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from tlkit import content` imports the module tlkit.content.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                     for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] == "tlkit")
    return found


def test_every_room_has_a_layer():
    rooms = {_room(module) for module in MODULES}
    assert rooms - LAYER.keys() == set(), "add the new room to LAYERS"
    assert LAYER.keys() - rooms == set(), "LAYERS names a room that is gone"


@pytest.mark.parametrize("path", _kit_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layer_order(path):
    room = _room(_module_name(path))
    upward = sorted(name for name in _kit_imports(path)   # (a room not in LAYERS counts too)
                    if _room(name) != room and LAYER.get(_room(name), len(LAYERS)) >= LAYER[room])
    assert not upward, (f"{path.relative_to(ROOT)} (room {room!r}) imports {upward}: a room "
                        "imports only rooms below it in LAYERS; move the code to the room that "
                        "owns it")


def test_no_modules_import_each_other_in_a_circle():
    graph = {module: {name for name in _kit_imports(path) if name in MODULES}
             for module, path in MODULES.items()}
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycle = trail[trail.index(module):] + [module]
            pytest.fail("modules import each other in a circle: " + " -> ".join(cycle))
        if module in done:
            return
        for name in sorted(graph[module]):
            visit(name, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


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


def test_the_readme_names_every_room():
    rows = {line.split("|")[1].strip(): line for line in
            (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("| `")}
    for row, folder in (("`src/tlkit/`", LOGIC), ("`widgets/`", WIDGETS)):
        rooms = [p.name for p in folder.iterdir() if (p / "__init__.py").is_file()]
        missing = sorted(room for room in rooms if f"`{room}/`" not in rows[row])
        assert not missing, f"README.md's {row} row does not name {missing}"


@pytest.mark.parametrize("doc", ["README.md", "AUTHORING.md"])
def test_the_source_paths_the_guides_name_exist(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    named = {match.split("<")[0] for match in re.findall(r"`(src/[^`\s]+)`", text)}
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert not missing, f"{doc} names {missing}, which do not exist"


def test_logic_top_level_stays_small():
    # Features live in rooms; the top level holds only the entry points, settings and the two
    # helpers every layer may use (lazy exports, atomic writes).
    loose = sorted(p.name for p in LOGIC.glob("*.py"))
    assert loose == ["__init__.py", "atomic.py", "cli.py", "lazy.py", "settings.py"], loose


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
