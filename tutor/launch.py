"""The `backprop-tutor` console script: bare, it opens the tutor at once; with arguments, the command line decides.

Opening the tutor with no arguments is what most starts are, and the argument parser (argparse and
gettext, the subcommands and their help) costs a noticeable part of the time to the first screen,
so that case does not load it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence


def run_app(data_dir: Path, seed: int | None = None, start: tuple[str, ...] = ("home",)) -> int:
    """Run the tutor in this terminal until it quits; its exit status."""
    from tutor.app import make_app

    app = make_app(data_dir=data_dir, seed=seed, start=start)
    app.run()
    return getattr(app, "return_code", None) or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; the same results as tutor.cli.main."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args or not (sys.stdin.isatty() and sys.stdout.isatty()):
        from tutor.cli import main as cli_main

        return cli_main(args)
    from tutor.data_dir import default_data_dir

    try:
        return run_app(default_data_dir(None))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
