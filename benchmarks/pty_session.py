"""A program under a real pseudo-terminal: start it, send it keys, and time until given text is painted
or until the screen it draws (kept by a terminal emulator, pyte) has stopped changing.

With emulation, a thread reads the terminal and stamps each piece of output with the moment it
arrived, and the emulator works through the pieces afterwards: pyte, written in Python, takes some
20 ms for a full-screen frame of 10 kB that a real terminal draws in well under one, and that time
belongs to the instrument, not to the program measured (it also held back the reading of whatever
the program wrote next)."""

from __future__ import annotations

import fcntl
import os
import queue
import re
import select
import signal
import struct
import sys
import termios
import threading
import time

SIZE = (80, 24)
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")
#: Keys as a terminal sends them.
KEYS = {"ctrl+n": b"\x0e", "ctrl+u": b"\x15", "enter": b"\r", "escape": b"\x1b",
        "f1": b"\x1bOP", "f8": b"\x1b[19~", "f9": b"\x1b[20~"}


def plain(raw: bytes) -> str:
    """What was written, without escape sequences."""
    return ANSI.sub("", raw.decode("utf-8", "replace"))


class PtyProgram:
    """One running program on its own pseudo-terminal (80×24 unless told), killed by close()."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = SIZE,
                 emulate: bool = False) -> None:
        """`emulate`: keep the screen as a terminal shows it, for `settle` and `display`."""
        self.argv = argv
        self.started = time.perf_counter()
        self.pid, self.fd = os.forkpty()
        if self.pid == 0:  # child: size the terminal before the program asks, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.raw = b""
        self._screen = self._stream = None
        self._pieces: queue.SimpleQueue | None = None
        if emulate:  # characters only, not their colours
            import pyte

            self._screen = pyte.Screen(*size)
            self._stream = pyte.ByteStream(self._screen)
            # the reader wakes within half a millisecond of output even while the emulator is busy
            sys.setswitchinterval(min(sys.getswitchinterval(), 0.0005))
            self._pieces = queue.SimpleQueue()
            threading.Thread(target=self._read_all, daemon=True).start()

    def _read_all(self) -> None:
        """The reader thread: every piece of output with the moment it arrived; None at the end."""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            self._pieces.put((time.perf_counter(), chunk) if chunk else None)
            if not chunk:
                return

    def _read(self, timeout: float) -> tuple[float, bytes] | None:
        """The next piece of output and when it arrived, waiting at most `timeout` seconds (None if
        nothing came); RuntimeError once the program has closed its terminal."""
        if self._pieces is not None:
            try:
                piece = self._pieces.get(timeout=max(0.0, timeout))
            except queue.Empty:
                return None
            if piece is None:
                self._pieces.put(None)  # still closed for the next reader
                raise RuntimeError(f"{' '.join(self.argv)} closed its terminal: {self.raw[-300:]!r}")
            return piece
        if not select.select([self.fd], [], [], max(0.0, timeout))[0]:
            return None
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the program exited
            chunk = b""
        if not chunk:
            raise RuntimeError(f"{' '.join(self.argv)} closed its terminal: {self.raw[-300:]!r}")
        return time.perf_counter(), chunk

    @property
    def display(self) -> list[str]:
        """The screen's lines as they stand now."""
        return list(self._screen.display)

    def settle(self, since: float, quiet: float = 0.5, timeout: float = 30.0) -> tuple[float, list[str]]:
        """Read until the screen's characters have changed and then stayed as they are for `quiet`
        seconds: seconds from `since` to the last change, and the screen then.

        Output that changes nothing on screen (a cursor blinking, a repaint of the same text) is read
        but not counted, so the figure is when the screen was complete, whatever came after.
        `self.changes` keeps each change: (seconds from `since`, the screen then)."""
        before = self._screen.display
        last = None
        self.changes: list[tuple[float, list[str]]] = []
        deadline = since + timeout
        while True:
            now = time.perf_counter()
            wait = deadline - now if last is None else min(deadline - now, last + quiet - now)
            if wait <= 0:
                if last is None:
                    raise TimeoutError(f"{' '.join(self.argv)}: nothing changed on screen in {timeout:.0f} s")
                return last - since, list(before)
            piece = self._read(wait)
            if piece is None:
                continue
            arrived, chunk = piece
            self.raw += chunk
            self._stream.feed(chunk)
            shown = self._screen.display
            if shown != before:
                before, last = shown, arrived
                self.changes.append((arrived - since, shown))

    def press_settle(self, keys: bytes, quiet: float = 0.5) -> tuple[float, list[str]]:
        """Seconds from sending `keys` until the screen is complete (see `settle`), and that screen."""
        return self.settle(self.send(keys), quiet)

    def wait_for(self, markers: tuple[str, ...], timeout: float = 30.0, since: float | None = None) -> tuple[float, str]:
        """Read until one of `markers` appears in what was written since the last send (or start);
        seconds from `since` (default: that moment) and the text read."""
        start = self.started if since is None else since
        deadline = time.perf_counter() + timeout
        while True:
            text = plain(self.raw)
            if any(m in text for m in markers):
                return time.perf_counter() - start, text
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{' '.join(self.argv)}: none of {markers!r} after {timeout:.0f} s; "
                                   f"wrote {self.raw[-300:]!r}")
            piece = self._read(left)
            if piece is None:
                continue
            self.raw += piece[1]
            if self._stream is not None:
                self._stream.feed(piece[1])

    def drain(self, quiet: float = 0.15) -> None:
        """Read and drop output until the program has been quiet for `quiet` seconds."""
        while True:
            try:
                piece = self._read(quiet)
            except RuntimeError:
                return
            if piece is None:
                break
            if self._stream is not None:
                self._stream.feed(piece[1])
        self.raw = b""

    def send(self, keys: bytes) -> float:
        """Write keys as if typed; the moment they were sent (forget what was read before)."""
        self.raw = b""
        os.write(self.fd, keys)
        return time.perf_counter()

    def press(self, keys: bytes, markers: tuple[str, ...], timeout: float = 30.0) -> float:
        """Seconds from sending `keys` until one of `markers` is painted."""
        return self.wait_for(markers, timeout, since=self.send(keys))[0]

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def launch(argv: list[str], env: dict[str, str], markers: tuple[str, ...]) -> tuple[float, str]:
    """Seconds from fork to the first marker text on the terminal, and everything written until then."""
    program = PtyProgram(argv, env)
    try:
        return program.wait_for(markers)
    finally:
        program.close()
