"""The classroom's commands: `serve`, `class report`, `class forget-pin`, and `progress --export/--import`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROG = "backprop-tutor"


def _whole_number(low: int, high: int):
    """An argparse type: a whole number from low to high."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, not {text}")
        return value

    return parse


def _host(text: str) -> str:
    if not text.strip() or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError(f"must be a host name or address, not {text!r}")
    return text


def add_parsers(subparsers, parents) -> None:
    """Add `serve` and `class` to the CLI's subparsers (nothing heavy is imported here)."""
    from tutor.serve_defaults import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_READY, MAX_READY

    p = subparsers.add_parser(
        "serve", parents=parents, help="the tutor in a browser, for a class (name and PIN first)",
        description="Serve the tutor to browsers: each connection runs its own copy of the tutor, which first "
        "asks for a learner's name and PIN. Each learner's progress is kept in its own file under "
        "DIR/learners. Stop with Ctrl+C.")
    p.add_argument("--host", type=_host, default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}: this machine only; "
                   "0.0.0.0 lets other computers connect)")
    p.add_argument("--port", type=_whole_number(1, 65535), default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    p.add_argument("--ready", type=_whole_number(0, MAX_READY), default=DEFAULT_READY, metavar="N",
                   help=f"sessions to keep prepared, so that N browsers arriving at once are each shown the "
                   f"sign-in screen quickly; each holds about 14 MiB while it waits (default {DEFAULT_READY}; "
                   f"0 prepares none; at most {MAX_READY})")

    p = subparsers.add_parser("class", parents=parents, help="the teacher's view of a class served with `serve`",
                              description="The teacher's commands for a class kept in --data-dir.")
    sub = p.add_subparsers(dest="class_command", metavar="COMMAND", required=True, parser_class=type(p))
    r = sub.add_parser("report", parents=parents, help="each learner's progress and the class's common mistakes",
                       description="Each learner's lessons done, quiz scores, items due and most frequent "
                       "misconceptions; then the five misconceptions most common in the class, with the lesson "
                       "steps where they happen.")
    fmt = r.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the report as JSON")
    fmt.add_argument("--csv", action="store_true", help="print one CSV row per learner (for a spreadsheet)")
    f = sub.add_parser("forget-pin", parents=parents, help="let a learner who forgot their PIN choose a new one",
                       description="Forget a learner's PIN (their progress stays); their next sign-in sets a new PIN. "
                       "This also lifts a lock after too many wrong PINs.")
    f.add_argument("name", metavar="NAME", help="the learner's name, as they sign in")


def add_transfer_options(parser: argparse.ArgumentParser) -> None:
    """Add --export FILE and --import FILE to `progress`."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--export", metavar="FILE", help="write all your progress to FILE as JSON ('-' for stdout)")
    group.add_argument("--import", dest="import_file", metavar="FILE",
                       help="merge the progress in FILE (from --export) into this store; nothing is lost")


def _data_dir(args: argparse.Namespace) -> Path:
    from tutor.progress import default_data_dir

    return default_data_dir(getattr(args, "data_dir", None))


def _error(message: str, status: int = 2) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    """Run `serve`, `class ...` or a progress transfer; the exit status."""
    if args.command == "serve":
        from tutor import serve

        return serve.run(host=args.host, port=args.port, data_dir=_data_dir(args), seed=getattr(args, "seed", None),
                         ready=args.ready)
    if args.command == "class":
        if args.class_command == "report":
            from tutor import class_report

            return class_report.run(_data_dir(args), fmt="json" if args.json else "csv" if args.csv else "text")
        return _forget_pin(args)
    from tutor import transfer

    if getattr(args, "export", None):
        return transfer.run_export(_data_dir(args), args.export)
    return transfer.run_import(_data_dir(args), args.import_file)


def _forget_pin(args: argparse.Namespace) -> int:
    from tutor.learners import BadName, Registry

    data_dir = _data_dir(args)
    if not (data_dir / "learners.db").exists():
        return _error(f"no class in {data_dir} (it has no learners.db); give the --data-dir that `serve` used")
    try:
        with Registry(data_dir) as registry:
            learner = registry.forget_pin(args.name)
    except BadName as exc:
        return _error(str(exc))
    if learner is None:
        return _error(f"no learner called {args.name!r} in {data_dir}", 1)
    print(f"{learner.name}'s PIN is forgotten; their progress is kept. Their next sign-in sets a new PIN.")
    return 0
