"""A warm starter for classroom sessions: imports the tutor once, then forks one app process per connection.

Importing Textual and the tutor costs about half a second of CPU; thirty browsers connecting at once
on two cores would wait seconds for that. This process pays it once. For each connection the
server (serve_sessions.py) sends three pipes, to be the app's stdin, stdout and stderr, and the
environment textual-serve gives an app, over a Unix socket; a forked child takes them as its own
and runs the classroom app exactly as a fresh process would, and the server gets the child's exit
status when it ends. Each session is still its own process.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import select
import signal
import socket
import sys
import threading
import time
import traceback
from pathlib import Path

#: Seconds the starter gives its sessions to quit (and close their progress files) when it is stopped.
STOP_GRACE = 10.0
MAX_MESSAGE = 256 * 1024


def _preload() -> None:
    """Import everything a session needs before its first paint (in the starter, before any fork)."""
    import textual.drivers.web_driver  # noqa: F401
    import textual.scrollbar  # noqa: F401
    import textual.widgets  # noqa: F401

    import tutor.classroom_app  # noqa: F401
    import tutor.screens.home  # noqa: F401
    import tutor.screens.login  # noqa: F401
    from tutor import serve_warm

    # Parse the CSS once for every session, and run one session to its first paint here, so that what
    # each forked session would otherwise build for itself (parsed rules, Textual's and Rich's caches,
    # modules imported on the way) is inherited instead.
    serve_warm.share_parsed_css()
    try:
        serve_warm.rehearse()
    except Exception as exc:  # a failed rehearsal only costs speed: every session still starts on its own
        print(f"backprop-tutor: the session starter could not rehearse a session ({exc})", file=sys.stderr)


def _run_child(fds: list[int], env: dict[str, str], app_args: list[str]) -> int:
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    os.environ.clear()
    os.environ.update(env)
    from tutor.classroom_app import main

    return main(app_args)


class Starter:
    """The fork server: accepts requests on a Unix socket and reports each child's exit status back."""

    def __init__(self, path: Path, app_args: list[str]):
        self.path = Path(path)
        self.app_args = app_args
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(self.path))
        os.chmod(self.path, 0o600)
        self.listener.listen(128)
        self.children: dict[int, socket.socket] = {}
        self.stopping = False

    def _on_stop(self, *_: object) -> None:
        self.stopping = True

    def serve(self) -> None:
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        while not self.stopping:
            try:
                ready, _, _ = select.select([self.listener], [], [], 0.2)
            except InterruptedError:
                ready = []
            if ready:
                self._accept()
            self._reap()
        self._stop_children()

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
            conn.settimeout(5.0)
            data, fds, _, _ = socket.recv_fds(conn, MAX_MESSAGE, 3)
            env = json.loads(data.decode("utf-8"))
        except (OSError, ValueError):
            return
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            conn.close()
            return
        sys.stdout.flush()
        sys.stderr.flush()
        if threading.active_count() > 1:  # forking a process with threads is unsafe: start the app afresh
            conn.close()
            for fd in fds:
                os.close(fd)
            return
        pid = os.fork()
        if pid == 0:  # the session
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                self.listener.close()
                for other in self.children.values():
                    other.close()
                conn.close()
                code = _run_child(fds, env, self.app_args)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                traceback.print_exc()
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        for fd in fds:
            os.close(fd)
        self.children[pid] = conn

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            if conn is not None:
                try:
                    conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
                except OSError:
                    pass
                conn.close()

    def _stop_children(self) -> None:
        """Ask every session to quit (SIGTERM: Textual's web driver exits cleanly), then insist."""
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_GRACE
        while self.children and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 2.0
        while self.children and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        self.listener.close()
        self.path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="backprop-tutor-starter")
    parser.add_argument("--socket", required=True)
    parser.add_argument("app_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    app_args = args.app_args[1:] if args.app_args[:1] == ["--"] else args.app_args
    _preload()
    # Everything loaded so far lives as long as the starter: keep the collector from walking it in
    # every session (which costs time and unshares the pages the sessions inherit).
    gc.collect()
    gc.freeze()
    starter = Starter(Path(args.socket), app_args)
    print("ready", flush=True)
    starter.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
