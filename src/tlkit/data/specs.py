"""Short builders for codebook column entries, used by the generator's dataset modules."""

from __future__ import annotations

from tlkit.data.scales import SCALES


def ident(name: str, pattern: str, meaning: str, *, unique: bool = False,
          references: str | None = None, missing: bool = False) -> dict:
    col = {"name": name, "type": "string", "meaning": meaning, "pattern": pattern,
           "missing": missing, "unique": unique}
    if references:
        col["references"] = references
    return col


def text(name: str, meaning: str, *, unique: bool = False) -> dict:
    return {"name": name, "type": "string", "meaning": meaning, "missing": False,
            "unique": unique}


def category(name: str, allowed, meaning: str, *, missing: bool = False) -> dict:
    return {"name": name, "type": "category", "meaning": meaning, "allowed": list(allowed),
            "missing": missing}


def integer(name: str, low: int, high: int, meaning: str, *, missing: bool = False) -> dict:
    return {"name": name, "type": "integer", "meaning": meaning, "minimum": low,
            "maximum": high, "missing": missing}


def date(name: str, first: str, last: str, meaning: str, *, missing: bool = False) -> dict:
    return {"name": name, "type": "date", "meaning": meaning, "minimum": first,
            "maximum": last, "missing": missing}


def likert(name: str, scale: str, question: str, meaning: str, *, missing: bool = True) -> dict:
    return {"name": name, "type": "likert", "meaning": meaning, "question": question,
            "scale": scale, "levels": list(SCALES[scale]), "missing": missing}


def codebook(name: str, title: str, file: str, description: str, columns: list[dict],
             rules: list[dict] | None = None, **extra) -> dict:
    book = {"name": name, "title": title, "file": file, "description": " ".join(description.split()),
            **extra, "columns": columns}
    if rules:
        book["rules"] = rules
    return book
