"""The `tlkit` command: the handout subcommand end to end, and plain messages on bad input."""

from __future__ import annotations

import subprocess
import sys

from tlkit.cli import main


def test_handout_writes_a_printable_page(tmp_path, capsys):
    out = tmp_path / "tuning.html"
    assert main(["handout", "tuning", "--minutes", "45", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "Tuning" in html
    assert "Wrote" in capsys.readouterr().out


def test_unknown_protocol_gets_a_message_not_a_traceback(tmp_path, capsys):
    code = main(["handout", "no-such-protocol", "-o", str(tmp_path / "x.html")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("tlkit: ") and "tuning" in err  # lists the protocols there are
    assert "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_impossible_slot_is_refused_with_the_shortest_slot(tmp_path, capsys):
    code = main(["handout", "tuning", "--minutes", "10", "-o", str(tmp_path / "x.html")])
    assert code == 2
    assert "minutes" in capsys.readouterr().err


def test_console_script_is_installed(root):
    result = subprocess.run([sys.executable, "-m", "tlkit.cli", "--help"],
                            capture_output=True, text=True, check=True)
    for command in ("start", "facilitate", "release", "handout", "observation-form", "data"):
        assert command in result.stdout


def test_observation_form_writes_a_printable_page(tmp_path):
    out = tmp_path / "form.html"
    assert main(["observation-form", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "@media print" in html and "http" not in html.split("<body", 1)[1].lower().replace(
        "http-equiv", "")


def test_an_unwritable_output_gets_a_message_naming_the_place(tmp_path, capsys):
    target = tmp_path / "no-such-folder" / "x.html"
    assert main(["handout", "tuning", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "No such file or directory" in err and str(target) in err
