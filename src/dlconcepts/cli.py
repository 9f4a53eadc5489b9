"""Command line: ``dlconcepts list``, ``verify``, ``sweep``, ``student``, ``grade``, ``table``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import catalog
from .repro import get_seed

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _written() -> str:
    codes = [e.code for e in catalog.available()]
    return ", ".join(codes) if codes else "none yet"


def _select(numbers: Sequence[str]) -> list[catalog.Entry]:
    """Entries for the numbers asked for (all written notebooks when none are)."""
    if not numbers:
        entries = catalog.available()
        if not entries:
            raise ValueError(f"no notebooks found in {catalog.notebooks_dir()}")
        return entries
    entries = []
    for raw in numbers:
        try:
            entry = catalog.get(raw)
        except ValueError:
            raise ValueError(
                f"no question {raw!r}: the questions are numbered 01 to "
                f"{len(catalog.CATALOG):02d}; notebooks written: {_written()}"
            ) from None
        if not entry.exists:
            raise ValueError(
                f"notebook {entry.code} ({entry.question}) is not written yet; "
                f"notebooks written: {_written()}"
            )
        if entry not in entries:
            entries.append(entry)
    return entries


def cmd_list(args: argparse.Namespace) -> int:
    for e in catalog.CATALOG:
        if args.topic and e.topic != args.topic:
            continue
        state = "ready  " if e.exists else "planned"
        print(f"{e.code}  {state}  {e.topic:<14}  {e.question}")
    return EXIT_OK


def cmd_table(_args: argparse.Namespace) -> int:
    print(catalog.markdown_table())
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .runner import format_table, verify

    try:
        entries = _select(args.numbers)
        seed = get_seed(args.seed)
    except ValueError as exc:
        print(f"dlconcepts verify: {exc}", file=sys.stderr)
        return EXIT_USAGE
    jobs = args.jobs or min(2, os.cpu_count() or 1)
    print(
        f"Executing {len(entries)} notebook(s) with seed {seed}, {jobs} at a time; "
        f"outputs go to {args.out}/",
        flush=True,
    )
    bar = None
    if not args.no_progress and sys.stderr.isatty():  # plain lines in logs and CI
        from tqdm import tqdm

        bar = tqdm(total=len(entries), unit="notebook", file=sys.stderr, leave=False)

    def on_done(result) -> None:
        if bar is not None:
            bar.set_postfix_str(f"{result.code} {result.status}")
            bar.update(1)
        else:
            print(f"  {result.code} {result.status} in {result.seconds:.1f} s", flush=True)

    report = verify(
        entries,
        out_dir=args.out,
        seed=seed,
        jobs=jobs,
        timeout=args.timeout,
        in_place=args.in_place,
        on_done=on_done,
        keep_going=args.keep_going,
    )
    if bar is not None:
        bar.close()
    from . import sweep

    try:
        stored = sweep.load()
    except ValueError:
        stored = None
    print(format_table(report, stored))
    print(f"Report: {os.path.join(args.out, 'report.json')}")
    if args.in_place:
        updated = [r["code"] for r in report["notebooks"] if r["status"] == "passed"]
        print(f"Rewrote with fresh outputs: {', '.join(updated) or 'none'}")
    failed = any(r["status"] != "passed" for r in report["notebooks"])
    return EXIT_FAILED if failed else EXIT_OK


def cmd_sweep(args: argparse.Namespace) -> int:
    from . import sweep

    if args.results is None:
        args.results = str(sweep.DEFAULT_RESULTS)
    try:
        entries = _select(args.numbers)
        seeds = sweep.parse_seeds(args.seeds)
    except ValueError as exc:
        print(f"dlconcepts sweep: {exc}", file=sys.stderr)
        return EXIT_USAGE
    jobs = args.jobs or min(2, os.cpu_count() or 1)
    total = len(entries) * len(seeds)
    print(
        f"Sweeping {len(entries)} notebook(s) x {len(seeds)} seed(s) = {total} runs, "
        f"{jobs} at a time, in keep-going mode (about 10 s a run); results go to "
        f"{args.results}",
        flush=True,
    )
    bar = None
    if not args.no_progress and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="run", file=sys.stderr)
    done = 0

    def on_done(result, seed) -> None:
        nonlocal done
        done += 1
        bad = sum(1 for c in result.claims if not c["holds"])
        note = f"{bad} failed" if bad else result.status
        if bar is not None:
            bar.set_postfix_str(f"{result.code} seed {seed}: {note}")
            bar.update(1)
        else:
            print(
                f"  [{done}/{total}] {result.code} seed {seed}: {note} ({result.seconds:.1f} s)",
                flush=True,
            )

    new = sweep.run_sweep(
        entries,
        seeds,
        out_dir=os.path.join(args.out, "sweep"),
        results_path=args.results,
        jobs=jobs,
        timeout=args.timeout,
        on_done=on_done,
    )
    if bar is not None:
        bar.close()
    print(sweep.format_sweep(new))
    failures = list(sweep.iter_failures(new))
    for line in failures:
        print(f"FAILED {line}")
    print(f"Stored in {args.results}")
    return EXIT_FAILED if failures else EXIT_OK


def cmd_student(args: argparse.Namespace) -> int:
    from .student import exercises, write_student

    try:
        entries = _select(args.numbers)
        paths = write_student(entries, args.out)
    except ValueError as exc:
        print(f"dlconcepts student: {exc}", file=sys.stderr)
        return EXIT_USAGE
    import nbformat

    for path in paths:
        count = len(exercises(nbformat.read(path, as_version=4)))
        print(f"  {path}  ({count} exercise solution(s) replaced by stubs)")
    print(f"Wrote the student edition of {len(paths)} notebook(s) to {args.out}/")
    return EXIT_OK


def cmd_grade(args: argparse.Namespace) -> int:
    from .student import grade

    status = EXIT_OK
    for path in args.paths:
        if not os.path.isfile(path):
            print(f"dlconcepts grade: no such notebook: {path}", file=sys.stderr)
            return EXIT_USAGE
        result = grade(path, timeout=args.timeout)
        print(f"{path}: {result['points']} of {result['total']} point(s)")
        for c in result["checks"]:
            mark = "✓" if c["earned"] else "✗"
            why = c["error"] or (c["verdicts"][0] if c["verdicts"] else "no verdict printed")
            print(f"  {mark} {c['grade_id'] or 'cell ' + str(c['cell'])}: "
                  f"{c['earned']}/{c['points']}  {why}")  # fmt: skip
        if not result["checks"]:
            print("  (no exercise check cells found)")
            status = EXIT_FAILED
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dlconcepts",
        description="Executable answers to twenty deep-learning interview questions.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="list the twenty questions and which notebooks exist")
    p.add_argument("--topic", choices=catalog.TOPICS, help="only this topic")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("table", help="print the README's markdown table")
    p.set_defaults(func=cmd_table)

    p = sub.add_parser("verify", help="execute notebooks fresh and check every claim")
    p.add_argument("numbers", nargs="*", metavar="NN", help="question numbers (default: all)")
    p.add_argument("--jobs", type=int, default=None, help="kernels at a time (default: 2)")
    p.add_argument("--seed", type=int, default=None, help="seed (default: $DLCONCEPTS_SEED or 0)")
    p.add_argument("--out", default="build", help="folder for executed copies and report.json")
    p.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell")
    p.add_argument(
        "--in-place", action="store_true", help="write passing notebooks back with their outputs"
    )
    p.add_argument("--no-progress", action="store_true", help="print lines instead of a bar")
    p.add_argument(
        "--keep-going",
        action="store_true",
        help="a failed claim does not stop its notebook (every claim is checked)",
    )
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("sweep", help="run notebooks at many seeds; store each claim's margins")
    p.add_argument("numbers", nargs="*", metavar="NN", help="question numbers (default: all)")
    p.add_argument("--seeds", default="0-9", help="seeds, e.g. 0-9 or 0,3,5 (default: 0-9)")
    p.add_argument("--jobs", type=int, default=None, help="kernels at a time (default: 2)")
    p.add_argument("--out", default="build", help="folder for the executed copies")
    p.add_argument(
        "--results", default=None, help="the stored sweep (default: results/robustness.json)"
    )
    p.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell")
    p.add_argument("--no-progress", action="store_true", help="print lines instead of a bar")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("student", help="write the student edition (solutions removed)")
    p.add_argument("numbers", nargs="*", metavar="NN", help="question numbers (default: all)")
    p.add_argument("--out", default="build/student", help="folder (default: build/student)")
    p.set_defaults(func=cmd_student)

    p = sub.add_parser("grade", help="execute submitted notebooks and score their exercises")
    p.add_argument("paths", nargs="+", metavar="NOTEBOOK", help="submitted .ipynb files")
    p.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell")
    p.set_defaults(func=cmd_grade)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        parser.error(f"--jobs: expected a whole number >= 1, got {args.jobs}")
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
