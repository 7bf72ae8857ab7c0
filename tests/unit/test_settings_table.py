"""The README's Settings table is tlkit.settings.SETTINGS written out, and only settings.py
reads a TLKIT_* variable (deploy/ included)."""

from __future__ import annotations

import re

from tlkit.settings import SETTINGS


def test_the_readme_table_is_the_settings_declaration(root):
    text = (root / "README.md").read_text(encoding="utf-8")
    table = text.split("Settings are environment variables", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if line.startswith("| `TLKIT_")]
    wanted = [f"| `{s.variable}` | {s.default} | {s.meaning} |" for s in SETTINGS]
    assert rows == wanted, "README.md's Settings table and tlkit.settings.SETTINGS differ"


def test_only_settings_reads_the_environment(root):
    reads = re.compile(r"(environ(\.get)?\(|environ\[|getenv\()\s*[\"']TLKIT_")
    files = [*root.glob("src/tlkit/**/*.py"), *root.glob("widgets/**/*.py"),
             *root.glob("deploy/**/*.py"), root / "nbgrader_config.py"]
    found = [str(p.relative_to(root)) for p in files
             if p.name != "settings.py" and reads.search(p.read_text(encoding="utf-8"))]
    assert not found, f"{found} read TLKIT_* variables; read them through tlkit.settings"
