"""New modules from the kit's template.

`tlkit new-module SLUG "Title"` copies the template pair in content/templates/ (the module
notebook and its facilitator guide), fills in the slug, title and minutes, writes the checked
activity's definition beside the notebook (activities/<slug>_check.yaml, digests only), lists
the module in the course manifest and adds its plausible wrong answer for the grading tests.

The notebooks are plain JSON; nothing here imports nbformat (it is slow to import) or widgets.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from tlkit.content.loader import read_yaml
from tlkit.course import checks
from tlkit.course.manifest import SLUG, add_module, module_ids
from tlkit.settings import CONTENT

TEMPLATES = CONTENT / "templates"
WRONG_ANSWERS = Path("tests") / "nbgrader" / "wrong_answers.yaml"

class TemplateError(ValueError):
    """A new module cannot be written; the message says why and what to do."""


# --- cells ----------------------------------------------------------------------------------

def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def is_widget_cell(cell: dict) -> bool:
    """A plain (not graded) code cell that builds one of the kit's widgets."""
    return (cell.get("cell_type") == "code" and "nbgrader" not in cell.get("metadata", {})
            and "from tlkit.widgets import" in _source(cell))


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


# --- new modules ----------------------------------------------------------------------------

def check_slug(slug: str) -> None:
    if not SLUG.match(slug or ""):
        raise TemplateError(f"{slug!r} cannot be a module name: use 2 to 41 lower-case letters, "
                            f"digits and hyphens, starting with a letter, e.g. data-conversations.")


def new_module(slug: str, title: str, minutes: int = 90, root: Path | str = ".") -> list[Path]:
    """Write modules/SLUG/SLUG.ipynb, its activity file and facilitator/SLUG.ipynb; list the
    module in modules/course.yaml; add its wrong answer to tests/nbgrader/wrong_answers.yaml
    when that file exists. Returns the files written. Refuses before writing anything."""
    root = Path(root)
    check_slug(slug)
    title = " ".join(str(title).split())
    if not title:
        raise TemplateError("Give the module a title, e.g. \"Conversations about data\".")
    least = _fixed_minutes() + 5
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < least:
        raise TemplateError(f"--minutes is {minutes!r}; give the live session's length as a "
                            f"whole number of minutes, {least} or more (e.g. 90).")
    module_dir = root / "modules" / slug
    guide = root / "facilitator" / f"{slug}.ipynb"
    if slug in module_ids(root) or module_dir.exists() or guide.exists():
        raise TemplateError(f"The course already has a module called {slug!r} "
                            f"(modules/{slug}/ or its entry in modules/course.yaml). Choose "
                            f"another name, or edit the existing module.")

    fill = _fill(slug, title, minutes)
    notebook = _template("module.ipynb", fill)
    notebook["metadata"]["tlkit"]["module"] = slug  # title and minutes live in the manifest
    _share_minutes(notebook, minutes)
    activity = _template_activity(slug)

    module_dir.mkdir(parents=True)
    (module_dir / checks.LOCAL_FOLDER).mkdir()
    written = [_write_json(module_dir / f"{slug}.ipynb", notebook),
               _write_text(module_dir / checks.LOCAL_FOLDER / f"{slug}_check.yaml", activity),
               _write_json(guide, _template("guide.ipynb", fill))]
    written.append(add_module(slug, title, minutes, root))
    page = _add_to_course_page(root, slug, title)
    if page is not None:
        written.append(page)
    wrong = root / WRONG_ANSWERS
    if wrong.is_file():
        _add_wrong_answer(wrong, slug)
        written.append(wrong)
    return written


# The template's checked activity: which of four moves keeps a conversation descriptive.
TEMPLATE_KEY = {"M1": "describe", "M2": "judge", "M3": "describe", "M4": "judge"}
TEMPLATE_WRONG = {"M1": "describe", "M2": "describe", "M3": "describe", "M4": "judge"}


def _fill(slug: str, title: str, minutes: int) -> dict[str, str]:
    return {"{{SLUG}}": slug, "{{TITLE}}": title, "{{MINUTES}}": str(minutes)}


def _template(name: str, fill: dict[str, str]) -> dict[str, Any]:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    for placeholder, value in fill.items():
        # json.dumps keeps quotes and backslashes in a title valid inside the JSON strings.
        text = text.replace(placeholder, json.dumps(value)[1:-1])
    return json.loads(text)


def _share_minutes(notebook: dict, minutes: int) -> None:
    """Fit the live minutes to the session: the first section takes what the others leave."""
    cells = [c for c in notebook["cells"] if "section" in c.get("metadata", {}).get("tlkit", {})]
    first = cells[0]["metadata"]["tlkit"]
    first["live_minutes"] = minutes - sum(c["metadata"]["tlkit"]["live_minutes"] for c in cells[1:])
    cells[0]["source"] = _lines(re.sub(r"live session \d+ minutes",
                                       f"live session {first['live_minutes']} minutes",
                                       _source(cells[0])))


def _fixed_minutes() -> int:
    notebook = json.loads((TEMPLATES / "module.ipynb").read_text(encoding="utf-8"))
    sections = [c["metadata"]["tlkit"] for c in notebook["cells"]
                if "section" in c.get("metadata", {}).get("tlkit", {})]
    return sum(s["live_minutes"] for s in sections[1:])


def _template_activity(slug: str) -> str:
    data = read_yaml(TEMPLATES / "activity.yaml")
    activity_id = f"{slug}_check"
    salt = f"tlkit-{slug}-check-1"
    data.update(id=activity_id, salt=salt)
    for item, label in TEMPLATE_KEY.items():
        data["items"][item]["accepted"] = checks.accepted_digests("labels", salt, item, label)
    header = (f"# The checked activity of the {slug} module (made by `tlkit new-module`).\n"
              f"# Accepted answers are salted digests: see AUTHORING.md to change them.\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)


def is_course_page(cell: dict) -> bool:
    """The first module's list of every module in course order, with links."""
    return bool(cell.get("metadata", {}).get("tlkit", {}).get("course_page"))


def _add_to_course_page(root: Path, slug: str, title: str) -> Path | None:
    """Add the new module's link to the first module's course page, when it has one."""
    first = module_ids(root)[0]
    path = root / "modules" / first / f"{first}.ipynb"
    if first == slug or not path.is_file():
        return None
    notebook = json.loads(path.read_text(encoding="utf-8"))
    pages = [cell for cell in notebook["cells"] if is_course_page(cell)]
    if not pages:
        return None
    text = _source(pages[0]).rstrip("\n")
    number = len(re.findall(r"^\d+\. ", text, re.M)) + 1
    pages[0]["source"] = _lines(f"{text}\n{number}. [{title}](../{slug}/{slug}.ipynb)")
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _add_wrong_answer(path: Path, slug: str) -> None:
    values = ", ".join(f"{item}: {label}" for item, label in TEMPLATE_WRONG.items())
    entry = (f"{slug}:\n  {slug}_check:\n"
             f"    # M2 judges the lesson (\"went well\") instead of describing it.\n"
             f"    values: {{{values}}}\n"
             f"    message: verdict on the lesson, however kind, is a judgement\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + entry, encoding="utf-8")


def _write_json(path: Path, notebook: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
