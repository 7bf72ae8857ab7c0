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
    if args.room:
        from tlkit.room.launch import facilitate_with_room

        return facilitate_with_room(port=args.port, room_port=args.room_port,
                                    room_host=args.room_address,
                                    open_browser=not args.no_browser)
    from tlkit.serve import servers as serve

    return serve.facilitate(port=args.port, open_browser=not args.no_browser)


def _release(args: argparse.Namespace) -> int:
    from tlkit.ops import release

    workspace = release.prepare_workspace()
    print(f"The learner's copy of the course is in {workspace}")
    return 0


def _handout(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tlkit.practice.plan import plan_for
    from tlkit.printables.handouts import protocol_handout

    html = protocol_handout(plan_for(args.protocol, args.minutes))
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


def _course(args: argparse.Namespace) -> int:
    """`tlkit course STEP`: print the step's summary lines."""
    from pathlib import Path

    from tlkit.ops import cohort
    from tlkit.settings import course_root

    root = course_root()
    step = args.course_command
    if step == "init":
        lines = cohort.init(root)
    elif step == "roster":
        lines = cohort.roster(root, Path(args.file))
    elif step == "release":
        if not args.modules and not args.all:
            print("tlkit: name the modules to release, or use --all for every module.",
                  file=sys.stderr)
            return 2
        lines = cohort.release(root, None if args.all else args.modules, due=args.due)
    elif step == "collect":
        lines = cohort.collect(root, args.modules)
    elif step == "autograde":
        from tlkit.ops.grading import autograde_module

        lines, empty = [], []
        for module in cohort._modules(root, args.modules):
            run = autograde_module(root, module, jobs=args.jobs, cell_timeout=args.cell_timeout,
                                   learner_timeout=args.learner_timeout,
                                   sandbox=not args.unsandboxed)
            if run.outcomes:
                lines.append(run.summary())
            else:  # said once for all such modules, not once per module
                empty.append(module)
        if empty:
            lines.append(f"Nothing to grade yet for {', '.join(repr(m) for m in empty)}: no "
                         "hand-ins collected. Collect them first: tlkit course collect")
        if len(empty) < len(cohort._modules(root, args.modules)):
            lines.append("Next: tlkit course feedback, and tlkit course lab to grade "
                         "reflections.")
    elif step == "feedback":
        lines = cohort.feedback(root, args.modules)
    elif step == "report":
        from tlkit.ops.report import write_report

        written = write_report(root, Path(args.out), shared=args.share)
        lines = [f"Wrote {path}" for path in written]
        if not args.share:
            lines.append("These files name learners: keep them to the facilitators. "
                         "Use --share for a version with counts only.")
    elif step == "evaluate":
        lines = _evaluate(root, args)
    elif step == "certificates":
        lines = _certificates(root, args)
    elif step == "learner":
        from tlkit.ops.nbgrader_api import course_api
        from tlkit.ops.roster import correct_learner, remove_learner

        if args.learner_command in ("correct", "rename"):
            lines = correct_learner(course_api(root), args.id, first_name=args.first,
                                    last_name=args.last, email=args.email)
        else:
            lines = remove_learner(course_api(root), args.id, with_grades=args.with_grades)
    elif step == "lab":
        from tlkit.serve import servers as serve

        return serve.facilitator_lab(port=args.port, open_browser=not args.no_browser)
    for line in lines:
        print(line)
    return 1 if getattr(lines, "failed", False) else 0


def _evaluate(root, args) -> list[str]:
    from pathlib import Path

    from tlkit.data.suppression import DEFAULT_THRESHOLD
    from tlkit.evaluation import levels, report, sources
    from tlkit.evaluation.inputs import EvaluationInputError

    try:
        if args.demo:
            tables = sources.demo_tables()
            about = ("Synthetic data: the network's teacher leaders, one cohort per partner "
                     "organisation (no real person).")
        else:
            tables = sources.course_tables(root, data=Path(args.data) if args.data else None,
                                           cohort=args.cohort)
            about = "This course's records, and the files shared for the evaluation."
    except (EvaluationInputError, OSError) as err:     # OSError: the live database is down
        return _Failed([str(err)])
    found = levels.evaluate(tables)
    written = report.write_report(found, Path(args.out), title="Evaluation of the course",
                                  about=about, threshold=DEFAULT_THRESHOLD)
    lines = [f"{level.title}: {part.title}: {part.headline}" for level in found
             for part in level.parts]
    hidden = sum(len(part.hidden) for level in found for part in level.parts)
    lines.append(f"{hidden} figure{'s' if hidden != 1 else ''} hidden to protect small groups "
                 "(the report says which).")
    return lines + [f"Wrote {path}" for path in written]


def _certificates(root, args) -> list[str]:
    from pathlib import Path

    from tlkit.data.csv_text import write_rows
    from tlkit.evaluation import certificates, hours, sources

    if not sources.has_gradebook(root):
        return _Failed(["This course has no cohort yet: run tlkit course init and tlkit course "
                        "roster FILE.csv, then hand in and grade modules first."])
    try:
        ledger, rules = sources.course_ledger(root)
    except OSError as err:      # the live database is down: a sentence, nothing written
        return _Failed([str(err)])
    key = certificates.certificate_key(sources.evaluation_dir(root))
    made = certificates.certificates(ledger, rules, key)
    out = Path(args.out)
    written = certificates.write_certificates(made, out)
    ledger_path = out / "hours-ledger.csv"
    ledger_path.write_text(write_rows(ledger.rows(), hours.LEDGER_HEADER), encoding="utf-8")
    lines = [f"{len(made)} of {len(ledger.learners)} learners completed the course: one "
             f"certificate each in {out}, and certificates.csv."]
    for learner in ledger.learners:
        done = ledger.completions[learner.id]
        if not done.complete:
            lines.append(f"{learner.id}: not yet complete: {'; '.join(done.missing)}.")
    lines += ledger.notes
    lines.append(f"Wrote {ledger_path} (every minute counted, per learner).")
    lines.append("These files name learners: keep them to the facilitators and the district's "
                 "records.")
    return lines


class _Failed(list):
    failed = True


COURSE_HELP = """Run the course for a cohort, on this computer. In order:

  tlkit course init                  make the gradebook and the course folders
  tlkit course roster learners.csv   add the learners (columns id, first_name, last_name, email)
  tlkit course release --all         give learners the modules (or name modules)
  tlkit course collect               gather what learners handed in
  tlkit course autograde --jobs 2    grade it (2 learners at a time)
  tlkit course lab                   grade the written reflections in the formgrader
  tlkit course feedback              make each learner's feedback page
  tlkit course report --out reports  the cohort's progress, as CSV and a web page
  tlkit course evaluate --out eval   the course's evaluation at four levels (report and CSV)
  tlkit course certificates --out c  PD hours per learner and a certificate per completer

  tlkit course learner correct ID --first NAME --last NAME --email ADDRESS
                                     correct a learner's name or email
  tlkit course learner remove ID     take a learner out (--with-grades if they have grades)

Each step can be run again safely. Add --help after a step for its details."""


def _add_course(sub) -> None:
    from tlkit.ops import LEARNER_TIMEOUT

    course = sub.add_parser("course", help="run the course for a cohort (gradebook, grading, "
                            "reports)", description=COURSE_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = course.add_subparsers(dest="course_command", required=True, metavar="STEP")
    steps.add_parser("init", help="make the gradebook and the course folders (safe to repeat)")
    p = steps.add_parser("roster", help="add learners from a CSV file (all or nothing)",
                         description="Add learners from a CSV file with the columns id, "
                         "first_name, last_name, email. The whole file is checked first: if "
                         "any row has a problem, every problem is listed with its row number "
                         "and nobody is added.")
    p.add_argument("file", help="the CSV file, e.g. learners.csv")
    p = steps.add_parser("release", help="give learners modules to work on")
    p.add_argument("modules", nargs="*", metavar="MODULE", help="module ids, e.g. protocols")
    p.add_argument("--all", action="store_true", help="release every module in the course")
    p.add_argument("--due", default=None, help="due date, e.g. 2026-05-01 or '2026-05-01 17:00'")
    for name, text in (("collect", "gather the learners' hand-ins"),
                       ("feedback", "make feedback pages for graded learners")):
        p = steps.add_parser(name, help=text)
        p.add_argument("modules", nargs="*", metavar="MODULE", help="module ids (default: all)")
    p = steps.add_parser("autograde", help="grade the collected hand-ins",
                         description="Grade what was collected. Every notebook is checked "
                         "first; one learner's broken notebook never stops the others, and "
                         "earlier grades are never lost. Each notebook runs in a sandbox "
                         "(bubblewrap) that cannot read the gradebook, the answers or other "
                         "learners' work, and has no network.")
    p.add_argument("modules", nargs="*", metavar="MODULE", help="module ids (default: all)")
    p.add_argument("--jobs", "-j", type=int, default=2,
                   help="learners graded at the same time (default 2; one per processor core)")
    p.add_argument("--cell-timeout", type=int, default=None, metavar="SECONDS",
                   help="seconds one cell may run before it is stopped (default: the course's, 60)")
    p.add_argument("--learner-timeout", type=int, default=LEARNER_TIMEOUT, metavar="SECONDS",
                   help="seconds one learner's whole notebook may take to grade before it is "
                   f"stopped and the others go on (default {LEARNER_TIMEOUT})")
    p.add_argument("--unsandboxed", action="store_true",
                   help="run the notebooks without a sandbox, with your own rights (only where "
                   "bubblewrap cannot be installed, and only if you trust every hand-in)")
    p = steps.add_parser("report", help="the cohort's progress as CSV and a web page")
    p.add_argument("--out", required=True, help="folder to write the report into")
    p.add_argument("--share", action="store_true",
                   help="counts only, small groups hidden: safe to share beyond facilitators")
    p = steps.add_parser("evaluate", help="evaluate the course at four levels (report, CSV)",
                         description="The course's evaluation: reactions (exit tickets), "
                         "learning (self-assessment, module results), organisational support "
                         "(readiness at two times) and use of new practice (follow-up survey, "
                         "peer observations), per cohort and across cohorts, small groups "
                         "hidden. Reads the live sessions' records, the gradebook and the CSV "
                         "files in the evaluation folder (<build>/evaluation).")
    p.add_argument("--out", required=True, help="folder to write the report into")
    p.add_argument("--data", default=None, help="a folder of shared CSV files (default: the "
                   "build folder's evaluation folder)")
    p.add_argument("--cohort", default="This cohort", help="this cohort's name in the report")
    p.add_argument("--demo", action="store_true",
                   help="evaluate the synthetic network's cohorts instead (no real person)")
    p = steps.add_parser("certificates", help="PD hours per learner, a certificate per completer",
                         description="The hours ledger (live sessions attended, modules "
                         "completed, the teach-back) and one printable certificate per learner "
                         "who meets the completion rules in modules/course.yaml, with a CSV of "
                         "the certificates for the district's records.")
    p.add_argument("--out", required=True, help="folder to write the certificates into")
    learner = steps.add_parser("learner", help="correct or remove one learner in the gradebook")
    which = learner.add_subparsers(dest="learner_command", required=True, metavar="ACTION")
    p = which.add_parser("correct", aliases=["rename"],
                         help="change a learner's name or email (their id and grades stay)",
                         description="Change a learner's name or email in the gradebook. "
                         "Their id, grades and hand-ins stay. Give only what changes; "
                         "--email \"\" clears the email.")
    p.add_argument("id", help="the learner's id, as in the roster")
    p.add_argument("--first", default=None, help="first name")
    p.add_argument("--last", default=None, help="last name")
    p.add_argument("--email", default=None, help="email address")
    p = which.add_parser("remove", help="take a learner out of the gradebook",
                         description="Take a learner out of the gradebook. A learner with "
                         "grades is kept unless you add --with-grades, which deletes their "
                         "grades too (the command says which first).")
    p.add_argument("id", help="the learner's id, as in the roster")
    p.add_argument("--with-grades", action="store_true",
                   help="remove them even though their grades are deleted with them")
    p = steps.add_parser("lab", help="the facilitator's JupyterLab with the formgrader")
    p.add_argument("--port", type=int, default=8890)
    p.add_argument("--no-browser", action="store_true")
    course.set_defaults(func=_course)


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
    p.add_argument("--room", action="store_true",
                   help="also serve the live sessions' participant page to this computer's "
                   "network, so people join from their own phones and laptops (only that page "
                   "is served there; the facilitator's pages stay on this computer)")
    p.add_argument("--room-port", type=int, default=8870,
                   help="the participant page's port (default 8870)")
    p.add_argument("--room-address", default=None, metavar="ADDRESS",
                   help="the network address to serve it on (default: this computer's)")
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
    _add_course(sub)
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
