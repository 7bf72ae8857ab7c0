"""Find the course's datasets and load one as a checked, properly typed pandas DataFrame."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from tlkit.data.checking import check_frame, column_problems, summarize
from tlkit.data.codebooks import Codebook, DataError, read_codebook
from tlkit.settings import data_override

CODEBOOK_SUFFIX = ".codebook.yaml"


def data_dir() -> Path:
    """TLKIT_DATA when set (a teacher's own copy), else the datasets shipped with the kit."""
    return data_override() or Path(str(resources.files("tlkit.datasets")))


def names() -> list[str]:
    """The datasets available, by the name `load` takes (one per codebook)."""
    return sorted(p.name[: -len(CODEBOOK_SUFFIX)]
                  for p in data_dir().glob(f"*{CODEBOOK_SUFFIX}"))


def codebook(name: str) -> Codebook:
    path = data_dir() / f"{name}{CODEBOOK_SUFFIX}"
    if not path.exists():
        raise FileNotFoundError(f"There is no dataset called {name!r} in {data_dir()}. "
                                f"The datasets are: {', '.join(names()) or '(none)'}.")
    return read_codebook(path)


def read_text_table(path: Path) -> pd.DataFrame:
    """Every cell as text (empty cell -> missing); pandas reads .csv.gz transparently.

    Reading as text first means nothing is guessed: the codebook decides each column's type.
    """
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def load(name: str) -> pd.DataFrame:
    """The dataset `name`, checked against its codebook.

    Likert answers come back as ordered categoricals (so sorting and `>=` follow the scale),
    other listed values as categoricals, dates as datetime64, counts as nullable integers.
    Raises DataError listing every problem (row, column, what to do) if the file does not
    match its codebook.
    """
    book = codebook(name)
    path = data_dir() / book.file
    if not path.exists():
        raise FileNotFoundError(f"The codebook for {name!r} points at {book.file}, which is "
                                f"not in {data_dir()}. Regenerate the data with "
                                "`tlkit data generate`, or copy the file back.")
    raw = read_text_table(path)
    todo = ("Fix the file so it matches its codebook "
            f"({name}{CODEBOOK_SUFFIX}), or regenerate the course data with `tlkit data generate`.")
    header = column_problems(list(raw.columns), book, path.name)
    if header:
        # Wrong columns: stop here, since every row would otherwise be reported too.
        raise DataError(summarize(header, str(path), todo), header)
    frame, problems = check_frame(raw, book, path.name)
    if problems:
        raise DataError(summarize(problems, str(path), todo), problems)
    return frame
