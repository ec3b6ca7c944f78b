"""Writing to the terminal: every line made printable, and a full disk or closed stream reported, not raised."""

from __future__ import annotations

import os
import sys

from engine.safe_text import printable, printable_lines

#: Longest piece of a command-line argument echoed in an error line.
ECHO_CHARS = 60
#: Longest error line, whatever it quotes.
MAX_ERROR_CHARS = 600


class OutputError(Exception):
    """Standard output cannot be written (a full disk, a closed stream): one line on stderr, status 1."""


def shown(text: str) -> str:
    """An argument as echoed in an error line: quoted, control characters escaped, cut when long."""
    return repr(printable(text, ECHO_CHARS))


def say(line: str) -> None:
    """One line on stderr, made printable and cut to a sane length; a stderr that fails is given up on."""
    line = printable(line, MAX_ERROR_CHARS)
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so that output still buffered cannot fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def emit(text: str, *, raw: bool = False) -> None:
    """Print to stdout, every line made printable (unless `raw`: already safe, such as JSON text).

    A reader that closed the pipe early (`| head`) is not an error; any other failure to write (a
    full disk, a closed stdout) raises OutputError.
    """
    if not raw:
        text = printable_lines(text)
    out = sys.stdout
    if out is None:
        raise OutputError("standard output is closed")
    try:
        try:
            out.write(text)
        except UnicodeEncodeError:  # a terminal that cannot show σ or · gets a stand-in, not a crash
            out.write(text.encode(out.encoding or "ascii", "replace").decode(out.encoding or "ascii"))
        out.flush()
    except BrokenPipeError:
        silence_stdout()
    except (OSError, ValueError) as exc:  # ENOSPC, EIO, EBADF; ValueError: the stream was closed
        silence_stdout()
        raise OutputError(getattr(exc, "strerror", None) or str(exc) or type(exc).__name__) from None




def error(message: str, status: int = 2, prog: str = "backprop-tutor") -> int:
    """Say `prog: error: message` on stderr and return the exit status."""
    say(f"{prog}: error: {message}")
    return status
