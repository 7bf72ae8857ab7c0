"""The pinned set: requirements.lock (pip) and environment.yml (conda/Binder) must agree,
and every dependency range in pyproject.toml must be met by a pin."""

from __future__ import annotations

import tomllib
from importlib import metadata

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def _lock_pins(root) -> dict[str, str]:
    pins = {}
    for line in (root / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def _conda_pins(root) -> dict[str, str]:
    env = yaml.safe_load((root / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pins = {}
    for entry in pip_section:
        if "==" in entry:
            name, version = entry.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_environment_yml_pins_exactly_the_lock(root):
    assert _conda_pins(root) == _lock_pins(root)


def test_environment_yml_installs_the_kit_and_a_supported_python(root):
    env = yaml.safe_load((root / "environment.yml").read_text())
    assert any(str(d).startswith("python=3.1") for d in env["dependencies"])
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section


def test_every_declared_dependency_is_pinned_within_its_range(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    pins = _lock_pins(root)
    for spec in declared:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared in pyproject.toml but not pinned: run make lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}=={pins[name]} in requirements.lock is outside {req.specifier}: run make lock"
        )


def test_the_running_environment_matches_the_lock(root):
    # The generated datasets and answer keys are reproduced under these exact versions.
    mismatched = {}
    for name, version in _lock_pins(root).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            mismatched[name] = (version, "missing")
            continue
        if installed != version:
            mismatched[name] = (version, installed)
    assert not mismatched, f"installed packages differ from requirements.lock: {mismatched}"


def test_a_jupyter_server_starts_without_building_the_iri_checker(root):
    """The lock leaves out jsonschema's Lark-built IRI checker (tools/update_lock.py says why),
    and nothing in the lock brings it back: a server's start-up never pays for it."""
    import subprocess
    import sys

    left_out = {"rfc3987-syntax", "lark"}
    assert left_out.isdisjoint(_lock_pins(root))
    uninstall = [line for line in (root / "Makefile").read_text().splitlines()
                 if "pip uninstall" in line]
    assert uninstall and all(name in uninstall[0] for name in left_out)
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, jupyter_server.serverapp, nbformat.validator\n"
         "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rfc3987_syntax', 'lark')))"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert imported == "[]"
