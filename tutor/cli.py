"""The `backprop-tutor` command line: parse arguments, then hand off to the app or a plain command."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, NoReturn, Sequence

from tutor import __version__

if TYPE_CHECKING:
    from lessons.model import Curriculum

PROG = "backprop-tutor"
MAX_SEED = 2**63 - 1  # what SQLite can store

EPILOG = f"""\
With no command the tutor opens at its home screen. Progress is kept in the folder given by
--data-dir, else $BACKPROP_TUTOR_DATA_DIR, else your user data folder.
Try `{PROG} list` to see the lesson ids, and `{PROG} COMMAND --help` for one command.
"""


class UsageError(Exception):
    """A bad command line: reported as one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one short line and exit status 2, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_SEED}, not {text}")
    return value


def _folder(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder")
    return text


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar; shared options are accepted before or after the subcommand."""
    common = _Parser(add_help=False)
    common.add_argument("--seed", type=_seed, default=argparse.SUPPRESS, metavar="N",
                        help="seed for reproducible exercise numbers")
    common.add_argument(
        "--data-dir",
        type=_folder,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="where progress is kept (default: BACKPROP_TUTOR_DATA_DIR or the user data directory)",
    )

    parser = _Parser(
        prog=PROG,
        description="A terminal tutor that teaches backpropagation by making you do it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("lesson", parents=[common], help="open a lesson (resumes where you left it)",
                       description="Open a lesson in the tutor.")
    p.add_argument("lesson_id", metavar="ID", help="the lesson id (see `backprop-tutor list`)")
    p = sub.add_parser("quiz", parents=[common], help="a quiz on the lessons named (all if none)",
                       description="A quiz with fresh numbers; items you got wrong before come first.")
    p.add_argument("lesson_ids", metavar="ID", nargs="*", help="lessons to draw from (default: all)")
    sub.add_parser("list", parents=[common], help="the lessons, their ids and your progress",
                   description="List the lessons with their ids, titles and your progress.")
    p = sub.add_parser("progress", parents=[common], help="a summary of your progress (--json for JSON)",
                       description="Summarise your progress.")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    from tutor import classroom_cli

    classroom_cli.add_transfer_options(p)
    p = sub.add_parser("reset", parents=[common], help="forget progress for one lesson or all (asks first)",
                       description="Forget progress for one lesson, or for every lesson; asks first.")
    p.add_argument("lesson_id", metavar="ID", nargs="?", help="the lesson to forget (default: all lessons)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    from tutor import solve_cmd

    solve_cmd.add_parser(sub, parents=[common])
    from tutor import classroom_cli, examples

    examples.add_parser(sub, parents=[common])
    classroom_cli.add_parsers(sub, parents=[common])
    return parser


def _error(message: str, status: int = 2) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return status


def load_curriculum(*, warn: bool = False) -> Curriculum:
    """The curriculum; while a lesson is broken the others are still offered (with `warn`, a line names it)."""
    from lessons.loader import load_curriculum as load

    cur = load(skip_broken=True)
    if warn and cur.problems:
        first, more = cur.problems[0], len(cur.problems) - 1
        extra = f" (and {more} more)" if more else ""
        print(f"{PROG}: warning: a lesson could not be loaded and is left out: {first}{extra}", file=sys.stderr)
    return cur


def _check_ids(cur: Curriculum, ids: Sequence[str]) -> str | None:
    """A one-line complaint about the first unknown lesson id, or None when all are known."""
    for lesson_id in ids:
        if lesson_id not in cur.ids:
            known = ", ".join(cur.ids) if cur.ids else "(no lessons are installed)"
            return f"no lesson {lesson_id!r}; the lessons are: {known}"
    return None


def _emit(text: str) -> None:
    """Print to stdout; a reader that closed the pipe early (`| head`) is not an error."""
    try:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # a terminal that cannot show σ or · gets a stand-in, not a crash
            sys.stdout.write(text.encode(sys.stdout.encoding or "ascii", "replace").decode(sys.stdout.encoding or "ascii"))
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _open_progress(args: argparse.Namespace):
    from tutor.progress import Progress, default_data_dir

    store = Progress.open(default_data_dir(getattr(args, "data_dir", None)))
    if store.notice:
        print(f"{PROG}: {store.notice}", file=sys.stderr)
    return store


def _web_driver() -> bool:
    """Whether Textual is told to draw for a browser (textual-serve sets this): no terminal is needed then."""
    return os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver:")


def _run_app(args: argparse.Namespace, start: tuple[str, ...]) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not _web_driver():
        return _error(f"the tutor needs a terminal to run in; for plain text try `{PROG} list` or `{PROG} progress`")
    from tutor.app import make_app
    from tutor.progress import default_data_dir

    app = make_app(data_dir=default_data_dir(getattr(args, "data_dir", None)), seed=getattr(args, "seed", None),
                   start=start)
    app.run()
    return getattr(app, "return_code", None) or 0


def _confirm(question: str) -> bool | None:
    """Ask on stdin; True for yes, False for anything else, None when no answer can come (end of input)."""
    _emit(f"{question} [y/N] ")
    try:
        line = sys.stdin.readline() if sys.stdin is not None else ""
    except (OSError, ValueError):
        line = ""
    if not line:
        _emit("\n")
        return None
    return line.strip().lower() in {"y", "yes"}


def _reset(args: argparse.Namespace, cur: Curriculum) -> int:
    lesson_id = args.lesson_id
    if lesson_id is not None:
        problem = _check_ids(cur, [lesson_id])
        if problem:
            return _error(problem)
        what = f"lesson {lesson_id} ({cur.lesson(lesson_id).title})"
    else:
        what = "every lesson, and every quiz score"
    store = _open_progress(args)
    try:
        if not store.saving:
            return _error("nothing was forgotten: the progress folder cannot be written", 1)
        if not args.yes:
            answer = _confirm(f"Forget progress for {what}?")
            if answer is None:
                print(f"{PROG}: no answer (end of input), so nothing was forgotten; add --yes to reset without asking",
                      file=sys.stderr)
                return 1
            if not answer:
                _emit("Nothing was forgotten.\n")
                return 1
        store.reset(lesson_id)
        if store.write_error:
            return _error(store.write_error, 1)
        _emit(f"Forgot progress for {what}.\n")
        return 0
    finally:
        store.close()


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "solve":
        from tutor import solve_cmd

        return solve_cmd.run(args)
    if command == "examples":
        from tutor import examples

        _emit(examples.format_list())
        return 0
    if command in ("serve", "class") or getattr(args, "export", None) or getattr(args, "import_file", None):
        from tutor import classroom_cli

        return classroom_cli.run(args)
    if command is None:
        return _run_app(args, ("home",))  # the app loads the lessons itself, after its first screen
    cur = load_curriculum(warn=command in ("list", "progress"))
    if command == "lesson":
        return _error(problem) if (problem := _check_ids(cur, [args.lesson_id])) else _run_app(args, ("lesson", args.lesson_id))
    if command == "quiz":
        ids = tuple(dict.fromkeys(args.lesson_ids))
        return _error(problem) if (problem := _check_ids(cur, ids)) else _run_app(args, ("quiz", *ids))
    if command == "reset":
        return _reset(args, cur)
    from tutor.plain import format_list, format_progress

    store = _open_progress(args)
    try:
        summary = store.summary(cur)
    finally:
        store.close()
    if command == "list":
        _emit(format_list(summary))
    elif args.json:
        _emit(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        _emit(format_progress(summary))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status (--help and --version exit with 0)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        return _error(str(exc))
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
