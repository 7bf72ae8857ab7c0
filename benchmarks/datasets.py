"""How long the course's datasets take to generate, load and summarise, next to plain pandas.

    .venv/bin/python benchmarks/datasets.py

Each line times the kit's way and plain pandas doing the same work in the same run, and
prints the ratio (kit / plain). Times are the median of a few runs; shared machines are
noisy, so read ratios, not absolute seconds. This prints figures only: it asserts nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from timing import median_seconds

from tlkit.data import codebook, data_dir, load, names
from tlkit.data.generate import build, csv_bytes, generate

try:  # suppression is optional here: the benchmark still runs without it
    from tlkit.data.suppression import suppress_counts
except ImportError:
    suppress_counts = None

SURVEYS = ("teacher_survey_spring", "teacher_survey_eoy", "tl_survey_spring")


def generate_kit() -> None:
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder))


def write_plain(tables) -> None:
    # Plain pandas writing the same tables: the floor under any generator of these files.
    with tempfile.TemporaryDirectory() as folder:
        for name, frame in tables.items():
            file = codebook(name).file
            (Path(folder) / file).write_bytes(csv_bytes(frame, file.endswith(".gz")))


def load_kit() -> dict[str, pd.DataFrame]:
    return {name: load(name) for name in names()}


def load_plain() -> dict[str, pd.DataFrame]:
    # What a notebook without the kit would do: read_csv with the date columns parsed.
    frames = {}
    for name in names():
        book = codebook(name)
        dates = [c.name for c in book.columns if c.type == "date"]
        frames[name] = pd.read_csv(data_dir() / book.file, parse_dates=dates)
    return frames


def answer_counts(frames: dict[str, pd.DataFrame], name: str) -> dict[str, pd.DataFrame]:
    """Per question: organizations x answer words, counts of people (the dashboard table)."""
    survey = frames[name]
    items = [c.name for c in codebook(name).columns if c.type == "likert"]
    long = survey.melt(id_vars="org_id", value_vars=items, var_name="item",
                       value_name="answer").dropna(subset=["answer"])
    tables = {}
    for item, rows in long.groupby("item"):
        tables[item] = pd.crosstab(rows["org_id"].astype(str), rows["answer"].astype(str))
    return tables


def dashboard_kit(frames) -> list:
    out = []
    for name in SURVEYS:
        for table in answer_counts(frames, name).values():
            out.append(suppress_counts(table, threshold=10) if suppress_counts else table)
    return out


def dashboard_plain(frames) -> list:
    # The same counts with small cells blanked by hand (no protection of totals).
    out = []
    for name in SURVEYS:
        for table in answer_counts(frames, name).values():
            out.append(table.mask((table > 0) & (table < 10)))
    return out


def main() -> None:
    tables, _ = build()
    kit_frames, plain_frames = load_kit(), load_plain()
    rows = sum(len(f) for f in kit_frames.values())
    lines = [
        ("generate all datasets", median_seconds(generate_kit),
         "write the same tables with to_csv", median_seconds(lambda: write_plain(tables))),
        (f"load + check all ({rows:,} rows)", median_seconds(load_kit),
         "read_csv, dates parsed", median_seconds(load_plain)),
        ("dashboard: org x answer per question" +
         (", suppressed" if suppress_counts else " (no suppression module)"),
         median_seconds(lambda: dashboard_kit(kit_frames)),
         "same counts, small cells masked", median_seconds(lambda: dashboard_plain(plain_frames))),
    ]
    width = max(len(line[0]) for line in lines)
    print(f"{'kit':<{width}}  {'seconds':>8}   {'plain pandas':<36} {'seconds':>8}  ratio")
    for kit_label, kit_s, plain_label, plain_s in lines:
        print(f"{kit_label:<{width}}  {kit_s:8.3f}   {plain_label:<36} {plain_s:8.3f}  "
              f"{kit_s / plain_s:5.1f}x")


if __name__ == "__main__":
    main()
