"""The plain-language bar for learner text: Flesch-Kincaid grade level.

grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59 (Kincaid et al., 1975).
Syllables come from pyphen's hyphenation dictionary, with a vowel-group count as the floor
(hyphenation never splits off a single letter, so it undercounts short syllables).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pyphen

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)|\n\s*\n|\n\s*[-*\d]+[.)]?\s")


@cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def syllables(word: str) -> int:
    word = word.lower().strip("'’-")
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1                       # a silent final e
    by_hyphenation = len(_dictionary().positions(word)) + 1
    return max(1, groups, by_hyphenation)


def fk_grade(text: str) -> float:
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    total = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * total / len(words) - 15.59


def _prose(markdown: str) -> str:
    """The sentences a learner reads: no code, tables, links' addresses or markup."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^#+\s*(.*)$", r"\1.", text, flags=re.M)   # a heading reads as a sentence
    return re.sub(r"[*_>#\[\]]", "", text)


def learner_text(notebook: Path) -> str:
    """The markdown a learner reads in a module: facilitator notes, the Sources list and
    the authors' model answers left out."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    parts = []
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        meta = cell.get("metadata", {})
        nbgrader = meta.get("nbgrader", {})
        source = "".join(cell["source"])
        if ("facilitator" in meta.get("tags", []) or nbgrader.get("solution")
                or source.lstrip().startswith(("### Sources", "## Sources"))):
            continue
        parts.append(_prose(source))
    return "\n\n".join(parts)
