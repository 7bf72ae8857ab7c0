"""The built wheel carries everything an installed kit (a hub image, say) needs at run time:
content files, the Voila template and the datasets with their codebooks and manifest."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest


@pytest.fixture(scope="module")
def wheel_names(root, tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(root)],
                   check=True, capture_output=True)
    (wheel,) = out.glob("tlkit-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


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
    # No top-level `widgets` or `datasets` package that could collide in a shared image.
    assert not any(name.startswith(("widgets/", "datasets/")) for name in wheel_names)
