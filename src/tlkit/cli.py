"""The `tlkit` command: start the course, serve facilitator views, release, handouts, data."""

from __future__ import annotations

import argparse
import sys


def _start(args: argparse.Namespace) -> int:
    from tlkit.ops import release
    from tlkit.serve import servers as serve

    workspace = release.prepare_workspace()
    return serve.start(workspace, lab_port=args.port, voila_port=args.voila_port,
                       open_browser=not args.no_browser)


def _facilitate(args: argparse.Namespace) -> int:
    from tlkit.serve import servers as serve

    return serve.facilitate(port=args.port, open_browser=not args.no_browser)


def _release(args: argparse.Namespace) -> int:
    from tlkit.ops import release

    workspace = release.prepare_workspace()
    print(f"The learner's copy of the course is in {workspace}")
    return 0


def _handout(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tlkit.printables.handouts import protocol_handout
    from tlkit.practice.protocols import load_protocol

    html = protocol_handout(load_protocol(args.protocol), slot_minutes=args.minutes)
    out = Path(args.output or f"{args.protocol}-handout.html")
    out.write_text(html, encoding="utf-8")
    print(f"Wrote {out} (open it in a browser and print it).")
    return 0


def _observation_form(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tlkit.practice.observation import load_episode, load_rubric
    from tlkit.printables.observation_form import observation_form_html

    episode = load_episode(args.episode) if args.episode else None
    html = observation_form_html(load_rubric(args.rubric), episode)
    out = Path(args.output or f"observation-form-{args.rubric}.html")
    out.write_text(html, encoding="utf-8")
    print(f"Wrote {out} (open it in a browser and print it).")
    return 0


def _new_module(args: argparse.Namespace) -> int:
    from tlkit.course.template import new_module
    from tlkit.settings import course_root

    root = course_root()
    written = new_module(args.slug, args.title, args.minutes, root)
    print(f"Made the module {args.slug!r}:")
    for path in written:
        print(f"  {path.relative_to(root)}")
    print("Next: open the notebook in JupyterLab and replace the text marked (Author: ...); "
          "AUTHORING.md says how.")
    return 0


def _data_generate(args: argparse.Namespace) -> int:
    from tlkit.data import generate

    return generate.main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tlkit", description="Teacher Leader Kit")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("start", help="the learner's course in JupyterLab, facilitator views in Voila")
    p.add_argument("--port", type=int, default=8888)
    p.add_argument("--voila-port", type=int, default=8866)
    p.add_argument("--no-browser", action="store_true")
    p.set_defaults(func=_start)

    p = sub.add_parser("facilitate", help="serve facilitator/ with Voila on 127.0.0.1")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--no-browser", action="store_true")
    p.set_defaults(func=_facilitate)

    p = sub.add_parser("release", help="build the learner's copy of the course (nbgrader)")
    p.set_defaults(func=_release)

    p = sub.add_parser("handout", help="write a printable one-page handout for a protocol")
    p.add_argument("protocol", help="protocol id, e.g. tuning")
    p.add_argument("--minutes", type=int, default=None, help="fit the steps to this slot")
    p.add_argument("-o", "--output", default=None)
    p.set_defaults(func=_handout)

    p = sub.add_parser("observation-form", help="write a printable observation form")
    p.add_argument("--rubric", default="student-led-discussion")
    p.add_argument("--episode", default=None, help="a calibration episode to print with the form")
    p.add_argument("-o", "--output", default=None)
    p.set_defaults(func=_observation_form)

    p = sub.add_parser("new-module", help="start a new module from the kit's template")
    p.add_argument("slug", help="lower-case letters, digits and hyphens, e.g. data-talk")
    p.add_argument("title", help='the title, in quotes, e.g. "Conversations about data"')
    p.add_argument("--minutes", type=int, default=90, help="the live session (default 90)")
    p.set_defaults(func=_new_module)

    data = sub.add_parser("data", help="synthetic datasets").add_subparsers(dest="data_command",
                                                                            required=True)
    p = data.add_parser("generate", help="regenerate datasets/ from the seeded generator")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--out", default=None, help="folder to write to (default: the datasets folder)")
    p.set_defaults(func=_data_generate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except ValueError as err:  # the kit's own errors carry a human message
        print(f"tlkit: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a file that cannot be read or written: say which and why
        where = f" ({err.filename})" if err.filename else ""
        print(f"tlkit: {err.strerror or err}{where}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
