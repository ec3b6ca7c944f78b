"""The `backprop-tutor` command line: parse arguments, then hand off to the app or a plain command."""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import TYPE_CHECKING, NoReturn, Sequence

from engine.safe_text import json_text
from tutor import __version__
from tutor import output
from tutor.output import ECHO_CHARS, OutputError, emit as _emit, say as _say, shown

if TYPE_CHECKING:
    from lessons.model import Curriculum

PROG = "backprop-tutor"
MAX_SEED = 2**63 - 1  # what SQLite can store

EPILOG = f"""\
With no command the tutor opens at its home screen. Progress is kept in the
folder given by --data-dir, else $BACKPROP_TUTOR_DATA_DIR, else your user data
folder. Try `{PROG} list` to see the lesson ids, and
`{PROG} COMMAND --help` for one command.
"""


class UsageError(Exception):
    """A bad command line: reported as one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one short line and exit status 2, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        # argparse quotes the offending argument in full: cut any long run of it
        raise UsageError(re.sub(r"\S{%d,}" % (ECHO_CHARS + 1), lambda m: m.group()[:ECHO_CHARS - 1] + "…", message))

    def _print_message(self, message: str, file=None) -> None:
        # --help and --version: a failure to print is one line and status 1, never silently lost
        if message:
            if file is None or file is sys.stdout:
                _emit(message, raw=True)
            else:
                _say(message.rstrip("\n"))


def _seed(text: str) -> int:
    if len(text.strip()) > 40:  # int() of thousands of digits is slow, and no seed is that long
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_SEED}, not {shown(text)}")
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {shown(text)}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_SEED}, not {shown(text)}")
    return value


def _folder(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder")
    return text


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar; shared options are accepted before or after the subcommand."""
    common = _Parser(add_help=False)
    common.add_argument("--seed", type=_seed, default=argparse.SUPPRESS, metavar="N",
                        help="exercise numbers from this seed: the same N, the same numbers (they replace stored ones)")
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
    p.add_argument("--due", action="store_true",
                   help="ask what is due for review first, missed lesson exercises too")
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
    from tutor import practice_cmd

    practice_cmd.add_parser(sub, parents=[common])
    from tutor import classroom_cli, examples

    examples.add_parser(sub, parents=[common])
    classroom_cli.add_parsers(sub, parents=[common])
    return parser


def _error(message: str, status: int = 2) -> int:
    return output.error(message, status, PROG)


def load_curriculum(*, warn: bool = False) -> Curriculum:
    """The curriculum; while a lesson is broken the others are still offered (with `warn`, a line names it)."""
    from lessons.loader import load_curriculum as load

    cur = load(skip_broken=True)
    if warn and cur.problems:
        first, more = cur.problems[0], len(cur.problems) - 1
        extra = f" (and {more} more)" if more else ""
        _say(f"{PROG}: warning: a lesson could not be loaded and is left out: {first}{extra}")
    return cur


def _check_ids(cur: Curriculum, ids: Sequence[str]) -> str | None:
    """A one-line complaint about the first unknown lesson id, or None when all are known."""
    for lesson_id in ids:
        if lesson_id not in cur.ids:
            known = ", ".join(cur.ids) if cur.ids else "(no lessons are installed)"
            return f"no lesson {shown(lesson_id)}; the lessons are: {known}"
    return None


class ProgressUnavailable(Exception):
    """The progress file cannot be used as the command needs; args are (message, exit status)."""


def _open_progress(args: argparse.Namespace, *, read_only: bool = False):
    """The store; raises ProgressUnavailable when the file is from a newer version, or in use and unreadable."""
    from tutor.progress import Progress, default_data_dir
    from tutor.progress_schema import IN_USE, NEWER

    store = Progress.open(default_data_dir(getattr(args, "data_dir", None)), read_only=read_only)
    if store.state in (NEWER, IN_USE):
        store.close()
        if store.state == NEWER:
            raise ProgressUnavailable(store.notice, 2)
        raise ProgressUnavailable("the progress file is in use by another copy of the tutor; "
                                  "try again when it has finished", 1)
    if store.notice:
        _say(f"{PROG}: {store.notice}")
    return store


def _web_driver() -> bool:
    """Whether Textual is told to draw for a browser (textual-serve sets this): no terminal is needed then."""
    return os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver:")


def _run_app(args: argparse.Namespace, start: tuple[str, ...]) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not _web_driver():
        return _error(f"the tutor needs a terminal to run in; for plain text try `{PROG} list` or `{PROG} progress`")
    from tutor.launch import run_app
    from tutor.progress import default_data_dir

    return run_app(default_data_dir(getattr(args, "data_dir", None)), getattr(args, "seed", None), start)


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
                _say(f"{PROG}: no answer (end of input), so nothing was forgotten; add --yes to reset without asking")
                return 1
            if not answer:
                _emit("Nothing was forgotten.\n")
                return 1
        # The confirmation is printed inside the transaction: if it cannot be, nothing is forgotten.
        saved = store.reset(lesson_id, before_commit=lambda: _emit(f"Forgot progress for {what}.\n"))
        if not saved:
            message = store.write_error or "Progress could not be saved."
            if "in use" in message:
                return _error("nothing was forgotten: the progress file is in use by another copy of the tutor", 1)
            return _error(f"{message.rstrip('.')}; so nothing was forgotten after all", 1)
        return 0
    finally:
        store.close()


def _summary(store, cur: Curriculum) -> dict:
    """The store's summary, with where "continue" goes and what is due for review (as home shows them)."""
    from tutor import review
    from tutor.continuation import next_step

    summary = store.summary(cur)
    where = next_step(cur, store)
    due = review.due_by_lesson(cur, store)
    summary["continue"] = None if where is None else where.as_dict()
    summary["due"] = sum(due.values())
    for item in summary["lessons"]:
        item["due"] = due.get(item["id"], 0)
    return summary


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "solve":
        from tutor import solve_cmd

        return solve_cmd.run(args)
    if command == "practice":
        from tutor import practice_cmd

        start = practice_cmd.start(args)
        return start if isinstance(start, int) else _run_app(args, start)
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
        kind = "due" if args.due else "quiz"
        return _error(problem) if (problem := _check_ids(cur, ids)) else _run_app(args, (kind, *ids))
    if command == "reset":
        return _reset(args, cur)
    from tutor.plain import format_list, format_progress

    store = _open_progress(args, read_only=True)  # showing progress never takes the write lock
    try:
        summary = _summary(store, cur)
        problem = store.read_error
    finally:
        store.close()
    if problem:
        return _error(problem, 1)
    if command == "list":
        _emit(format_list(summary))
    elif args.json:
        _emit(json_text(summary, indent=2) + "\n", raw=True)
    else:
        _emit(format_progress(summary))
    return 0


def _occupy_standard_fds() -> None:
    """Open /dev/null on any of descriptors 0–2 that is closed, so no file opened later lands there
    (and output meant for a closed stdout can never be written into it)."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                got = os.open(os.devnull, os.O_RDWR)
                if got != fd:
                    os.dup2(got, fd)
                    os.close(got)
            except OSError:
                pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status (--help and --version exit with 0)."""
    _occupy_standard_fds()
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except UsageError as exc:
            return _error(str(exc))
        return _dispatch(args)
    except ProgressUnavailable as exc:
        return _error(exc.args[0], exc.args[1])
    except OutputError as exc:
        return _error(f"cannot write the output: {exc}", 1)
    except KeyboardInterrupt:
        _say("")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
