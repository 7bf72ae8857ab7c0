"""The generator is deterministic and the committed datasets are exactly what it writes."""

from __future__ import annotations

import shutil

from tlkit.cli import main as cli
from tlkit.data.generate import DEFAULT_SEED, MANIFEST, build, default_out, read_manifest, verify
from tlkit.data.scales import POSITIVE


def test_regenerating_gives_the_committed_bytes_and_manifest(tmp_path):
    assert cli(["data", "generate", "--out", str(tmp_path)]) == 0
    committed = default_out()
    manifest = read_manifest(committed)
    for name in manifest:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), \
            f"{name} differs from a fresh build: run `tlkit data generate` and commit the result"
    assert read_manifest(tmp_path) == manifest
    assert (tmp_path / MANIFEST).read_bytes() == (committed / MANIFEST).read_bytes()
    # gzip headers carry no time stamp (bytes 4-7), or two runs would differ.
    for name in manifest:
        if name.endswith(".gz"):
            assert (tmp_path / name).read_bytes()[4:8] == b"\0\0\0\0"


def test_committed_files_match_the_manifest():
    assert verify() == []


def test_verify_names_a_changed_file(tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(default_out(), folder)
    path = folder / "organizations.csv"
    path.write_bytes(path.read_bytes().replace(b"ORG-01", b"ORG-99", 1))
    assert verify(folder) == ["organizations.csv"]


def test_another_seed_gives_other_data_with_the_same_headlines():
    tables, _ = build(seed=DEFAULT_SEED + 1)
    committed, _ = build(seed=DEFAULT_SEED)
    assert not tables["teachers"].equals(committed["teachers"])
    tl = tables["tl_survey_spring"]
    for column, scale, target in (("q_confident_standards", "change_confidence", .91),
                                  ("q_find_materials", "agree", .93)):
        answered = tl[column].dropna()
        assert abs(answered.isin(POSITIVE[scale]).mean() - target) <= 0.01
