"""The built wheel carries everything an installed kit (a hub image, say) needs at run time:
content files, the Voila template and the datasets with their codebooks and manifest."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest


@pytest.fixture(scope="module")
def built_wheel(root, tmp_path_factory) -> tuple[set[str], str]:
    """The wheel's file names, and everything the build printed (pip not quietened, so the
    build backend's warnings show)."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-w", str(out), str(root)],
                          check=True, capture_output=True, text=True)
    (wheel,) = out.glob("tlkit-*.whl")
    return set(zipfile.ZipFile(wheel).namelist()), done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel_names(built_wheel) -> set[str]:
    return built_wheel[0]


def test_the_build_prints_no_packaging_warnings(built_wheel):
    # Each data folder missing from `packages` costs a screenful of warnings in `make start`.
    _names, printed = built_wheel
    assert "absent from the `packages` configuration" not in printed
    assert "Warning" not in printed, printed


def test_every_module_ships(root, wheel_names):
    # setup.py finds the packages: a new room ships without being listed anywhere.
    parts = {"tlkit": root / "src" / "tlkit", "tlkit/widgets": root / "widgets"}
    missing = [f"{prefix}/{p.relative_to(folder).as_posix()}" for prefix, folder in parts.items()
               for p in folder.rglob("*.py")
               if f"{prefix}/{p.relative_to(folder).as_posix()}" not in wheel_names]
    assert not missing, f"not in the wheel: {missing}"


def test_every_content_file_ships(root, wheel_names):
    content = root / "src" / "tlkit" / "content"
    missing = [str(p.relative_to(content)) for p in content.rglob("*")
               if p.is_file() and f"tlkit/content/{p.relative_to(content).as_posix()}" not in wheel_names]
    assert not missing, f"not in the wheel: {missing}"


def test_every_dataset_ships(root, wheel_names):
    datasets = root / "datasets"
    missing = [p.name for p in datasets.iterdir()
               if p.is_file() and f"tlkit/datasets/{p.name}" not in wheel_names]
    assert not missing, f"not in the wheel: {missing}"


def test_widgets_ship_inside_the_one_package(wheel_names):
    assert "tlkit/widgets/practice/protocol_runner.py" in wheel_names
    assert "tlkit/widgets/common.py" in wheel_names
    assert "tlkit/widgets/course/activity.py" in wheel_names
    # No top-level `widgets` or `datasets` package that could collide in a shared image.
    assert not any(name.startswith(("widgets/", "datasets/")) for name in wheel_names)


def test_the_participant_pages_files_ship(root, wheel_names):
    static = root / "src" / "tlkit" / "room" / "static"
    missing = [p.name for p in static.iterdir()
               if p.is_file() and f"tlkit/room/static/{p.name}" not in wheel_names]
    assert not missing, f"not in the wheel: {missing}"
