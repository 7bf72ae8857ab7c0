"""Build the course's synthetic datasets, their codebooks and a checksum manifest.

    tlkit data generate                  # rewrite the shipped datasets folder (seed 2017)
    tlkit data generate --out /tmp/d     # somewhere else
    tlkit data generate --seed 7 --out /tmp/d   # a different but equally valid network

Everything is drawn from one numpy Generator in a fixed order, CSV text is written with fixed
line endings, and gzip files carry no time stamp or file name, so the same seed gives the
same bytes on every run: the manifest is how tests (and teachers) know the data is untouched.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from tlkit.atomic import write_atomic
from tlkit.data import synth_network, synth_observations, synth_surveys
from tlkit.data.codebooks import Codebook, write_codebook
from tlkit.data.csv_text import write_frame

DEFAULT_SEED = 2017
MANIFEST = "MANIFEST.json"   # a .json file ships as package data with the rest


def default_out() -> Path:
    return Path(str(resources.files("tlkit.datasets")))


def build(seed: int = DEFAULT_SEED) -> tuple[dict[str, pd.DataFrame], dict[str, Codebook]]:
    """All tables and their codebooks, in memory. The draw order below fixes the data."""
    rng = np.random.default_rng(seed)
    net = synth_network.build_network(rng)
    surveys = synth_surveys.build_surveys(rng, net)
    observations = synth_observations.build_observations(rng, net)
    tables = {**net, **surveys, **observations}
    books = {**synth_network.codebooks(net), **synth_surveys.codebooks(net),
             **synth_observations.codebooks(net)}
    for name, book in books.items():
        book["generated_by"] = f"tlkit data generate --seed {seed}"
        book["synthetic"] = True
    return tables, {name: Codebook.from_dict(book) for name, book in books.items()}


def csv_bytes(frame: pd.DataFrame, gzipped: bool) -> bytes:
    data = write_frame(frame, index=False).encode("utf-8")
    if not gzipped:
        return data
    buffer = io.BytesIO()
    # mtime=0 and no file name in the header: identical input gives identical bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buffer.getvalue()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(out: Path, files: list[str], seed: int) -> Path:
    """SHA-256 of every data and codebook file, so a changed or damaged file shows."""
    manifest = {"generated_by": f"tlkit data generate --seed {seed}",
                "sha256": {name: sha256(out / name) for name in sorted(files)}}
    path = out / MANIFEST
    write_atomic(path, json.dumps(manifest, indent=2) + "\n")
    return path


def read_manifest(folder: Path) -> dict[str, str]:
    """file name -> sha256 as recorded in the folder's manifest."""
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["sha256"]


def verify(folder: Path | None = None) -> list[str]:
    """Files in `folder` (default: the shipped datasets) that are missing or differ from the
    manifest; an empty list means the data is exactly as generated."""
    folder = Path(folder) if folder else default_out()
    return [name for name, digest in read_manifest(folder).items()
            if not (folder / name).exists() or sha256(folder / name) != digest]


def generate(out: Path | None = None, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write every dataset, its codebook and the manifest into `out`; returns name -> data file."""
    out = Path(out) if out else default_out()
    out.mkdir(parents=True, exist_ok=True)
    tables, books = build(seed)
    written, paths = [], {}
    for name, frame in tables.items():
        book = books[name]
        if list(frame.columns) != book.column_names:
            raise AssertionError(f"{name}: columns {list(frame.columns)} do not follow its "
                                 f"codebook {book.column_names}")
        write_atomic(out / book.file, csv_bytes(frame, book.file.endswith(".gz")))
        write_codebook(book, out / f"{name}.codebook.yaml")
        written += [book.file, f"{name}.codebook.yaml"]
        paths[name] = out / book.file
    write_manifest(out, written, seed)
    return paths


def main(args: argparse.Namespace) -> int:
    seed = DEFAULT_SEED if getattr(args, "seed", None) is None else int(args.seed)
    out = Path(args.out) if getattr(args, "out", None) else default_out()
    started = time.perf_counter()
    paths = generate(out, seed)
    size = sum(p.stat().st_size for p in paths.values())
    print(f"Wrote {len(paths)} datasets ({size / 1e6:.1f} MB) with seed {seed} to {out} "
          f"in {time.perf_counter() - started:.1f} s.")
    if seed != DEFAULT_SEED and out.resolve() == default_out().resolve():
        print(f"Note: the course's own data uses seed {DEFAULT_SEED}; run "
              "`tlkit data generate` to put it back.")
    return 0
