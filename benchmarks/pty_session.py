"""A program under a real pseudo-terminal: start it, send it keys, and time until given text is painted."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import termios
import time

SIZE = (80, 24)
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")
#: Keys as a terminal sends them.
KEYS = {"ctrl+n": b"\x0e", "ctrl+u": b"\x15", "enter": b"\r", "escape": b"\x1b"}


def plain(raw: bytes) -> str:
    """What was written, without escape sequences."""
    return ANSI.sub("", raw.decode("utf-8", "replace"))


class PtyProgram:
    """One running program on its own pseudo-terminal (80×24 unless told), killed by close()."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = SIZE) -> None:
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
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the program exited
                raise RuntimeError(f"{' '.join(self.argv)} exited: {self.raw[-500:]!r}") from None
            if not chunk:
                raise RuntimeError(f"{' '.join(self.argv)} closed its terminal")
            self.raw += chunk

    def drain(self, quiet: float = 0.15) -> None:
        """Read and drop output until the program has been quiet for `quiet` seconds."""
        while select.select([self.fd], [], [], quiet)[0]:
            try:
                if not os.read(self.fd, 65536):
                    return
            except OSError:
                return
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
