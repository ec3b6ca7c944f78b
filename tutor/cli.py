"""The `backprop-tutor` command line: parse arguments, then hand off to the app or a plain command."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, Sequence

from tutor import __version__

PROG = "backprop-tutor"


class UsageError(Exception):
    """A bad command line: reported as one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one short line and exit status 2, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar; shared options are accepted before or after the subcommand."""
    common = _Parser(add_help=False)
    common.add_argument("--seed", type=int, default=argparse.SUPPRESS, help="seed for reproducible exercise numbers")
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help="where progress is kept (default: BACKPROP_TUTOR_DATA_DIR or the user data directory)",
    )

    parser = _Parser(
        prog=PROG,
        description="A terminal tutor that teaches backpropagation by making you do it.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    from tutor import solve_cmd

    solve_cmd.add_parser(sub, parents=[common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    if args.command == "solve":
        from tutor import solve_cmd

        return solve_cmd.run(args)
    print(f"{PROG}: the tutor app is not built yet; try `{PROG} solve examples/mazur.json`", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
