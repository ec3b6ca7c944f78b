"""A warm starter for classroom sessions: imports the tutor once, then forks one app process per connection.

Importing Textual and the tutor costs about half a second of CPU; thirty browsers connecting at once
on two cores would wait seconds for that. This process pays it once. For each connection the
server (serve_sessions.py) sends three pipes, to be the app's stdin, stdout and stderr, and the
environment textual-serve gives an app, over a Unix socket; a forked child takes them as its own
and runs the classroom app exactly as a fresh process would, and the server gets the child's exit
status when it ends. Each session is still its own process.

With `--ready N` it also keeps N sessions prepared before their browsers arrive (serve_pool.py):
forked children that have built, styled and laid out the sign-in screen and wait, blocked, for a
connection. A connection takes one of those when there is one (its first paint is then a resize of
an app already on screen, not a start), and the pool is refilled in the background.
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

from tutor.serve_pool import (READY_MESSAGE, SESSION_NAME, can_return_to_normal_priority, run_ready,
                               set_process_name)

#: Seconds the starter gives its sessions to quit (and close their progress files) when it is stopped.
STOP_GRACE = 10.0
MAX_MESSAGE = 256 * 1024
#: Seconds without a new browser before the pool of prepared sessions is refilled.
REFILL_QUIET = 1.0
#: The size sessions are prepared at before any browser has said its size.
DEFAULT_SIZE = (80, 24)
#: Prepared sessions ending before they are ready, one after another, before the starter stops preparing.
FAILED_PREPARES = 3
#: This process's name in /proc (ps, top); its sessions are named by serve_pool.
STARTER_NAME = "tutor-starter"


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
    set_process_name(SESSION_NAME)
    from tutor.classroom_app import main

    return main(app_args)


class Starter:
    """The fork server: accepts requests on a Unix socket and reports each child's exit status back.

    It also keeps a pool of up to `ready` sessions prepared in advance (serve_pool): a request takes
    the one prepared longest ago, or, when none is ready, a child forked for it as before. The pool is
    refilled in the background: only once no browser has arrived for REFILL_QUIET seconds, one
    session at a time while any session is running (else one per core), at a lower priority where a
    session may return to normal priority when its browser arrives.
    """

    def __init__(self, path: Path, app_args: list[str], ready: int = 0):
        self.path = Path(path)
        self.app_args = app_args
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(self.path))
        os.chmod(self.path, 0o600)
        self.listener.listen(128)
        #: Running sessions: pid -> the server's connection, which gets the exit status.
        self.children: dict[int, socket.socket] = {}
        #: The pool: pid -> socket to the prepared session; `ready` in the order they became ready.
        self.pool_size = max(0, ready)
        self.preparing: dict[int, socket.socket] = {}
        self.ready: dict[int, socket.socket] = {}
        self.prepare_size = DEFAULT_SIZE
        self.last_request = -REFILL_QUIET
        self.lower_priority = False
        if self.pool_size:
            self.lower_priority = can_return_to_normal_priority()
        self.announced = False
        #: Prepared sessions that ended before they were ready, in a row: the pool stops at FAILED_PREPARES.
        self.failed_prepares = 0
        self.parent = os.getppid()
        self.stopping = False

    def _on_stop(self, *_: object) -> None:
        self.stopping = True

    def serve(self) -> None:
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        while not self.stopping:
            watched = [self.listener, *self.preparing.values()]
            try:
                ready, _, _ = select.select(watched, [], [], 0.2)
            except InterruptedError:
                ready = []
            for sock in ready:
                if sock is self.listener:
                    self._accept()
                else:
                    self._heard_from(sock)
            self._reap()
            if os.getppid() != self.parent:  # the server has gone without stopping us: end its sessions
                self.stopping = True
            if not self.stopping:
                self._refill()
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
        self.last_request = time.monotonic()
        self.prepare_size = _size_of(env, self.prepare_size)
        if self._hand_to_ready(data, fds, conn):
            return
        pid = self._fork(lambda: _run_child(fds, env, self.app_args), drop=(conn,))
        for fd in fds:
            os.close(fd)
        if pid is None:
            conn.close()
        else:
            self.children[pid] = conn

    def _hand_to_ready(self, data: bytes, fds: list[int], conn: socket.socket) -> bool:
        """Give the connection to the session that has been ready longest; False if none takes it."""
        while self.ready:
            pid = next(iter(self.ready))
            sock = self.ready.pop(pid)
            try:
                sock.settimeout(2.0)
                socket.send_fds(sock, [data], fds)
            except OSError:  # it has ended meanwhile: the next one
                sock.close()
                continue
            sock.close()
            for fd in fds:
                os.close(fd)
            self.children[pid] = conn
            return True
        return False

    def _heard_from(self, sock: socket.socket) -> None:
        """A session being prepared says it is ready (or has ended)."""
        pid = next((p for p, s in self.preparing.items() if s is sock), None)
        if pid is None:
            return
        try:
            message = sock.recv(64)
        except OSError:
            message = b""
        del self.preparing[pid]
        if message == READY_MESSAGE:
            self.failed_prepares = 0
            self.ready[pid] = sock
            if not self.announced and len(self.ready) >= self.pool_size:
                self.announced = True
                print(f"prepared {len(self.ready)}", flush=True)
        else:
            sock.close()
            self._prepare_failed()

    def _prepare_failed(self) -> None:
        self.failed_prepares += 1
        if self.failed_prepares >= FAILED_PREPARES and self.pool_size:
            self.pool_size = 0
            print("backprop-tutor: sessions could not be prepared in advance; each browser's session starts when "
                  "it connects", file=sys.stderr, flush=True)

    def _refill(self) -> None:
        missing = self.pool_size - len(self.ready) - len(self.preparing)
        if missing <= 0 or time.monotonic() - self.last_request < REFILL_QUIET:
            return
        at_once = 1 if self.children else (os.cpu_count() or 1)
        while missing > 0 and len(self.preparing) < at_once:
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            size, lower = self.prepare_size, self.lower_priority

            def prepare() -> int:
                return run_ready(theirs, self.app_args, size, lower)

            pid = self._fork(prepare, keep=(theirs,), drop=(ours,))
            theirs.close()
            if pid is None:
                ours.close()
                return
            self.preparing[pid] = ours
            missing -= 1

    def _fork(self, body, keep: tuple = (), drop: tuple = ()) -> int | None:
        """Fork a child that runs body() and exits with its status; None when forking is unsafe."""
        sys.stdout.flush()
        sys.stderr.flush()
        if threading.active_count() > 1:  # forking a process with threads is unsafe: start the app afresh
            return None
        pid = os.fork()
        if pid != 0:
            return pid
        code = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            self.listener.close()
            # Nothing of another session stays open here (a pool socket or a server connection left
            # open would keep that session's end from being noticed).
            for other in (*self.children.values(), *self.preparing.values(), *self.ready.values(), *drop):
                if other not in keep:
                    other.close()
            code = body()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except KeyboardInterrupt:  # Ctrl+C in serve's terminal reaches every process of the class
            code = 130
        except BaseException:
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)

    def _reap(self) -> None:
        while self.children or self.preparing or self.ready:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            sock = self.ready.pop(pid, None)
            if sock is not None:
                sock.close()
            sock = self.preparing.pop(pid, None)
            if sock is not None:  # it ended before it was ready
                sock.close()
                if not self.stopping:
                    self._prepare_failed()
            conn = self.children.pop(pid, None)
            if conn is not None:
                try:
                    conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
                except OSError:
                    pass
                conn.close()

    def _stop_children(self) -> None:
        """End the pool (a prepared session ends when its socket closes), ask every session to quit
        (SIGTERM: Textual's web driver exits cleanly), then insist."""
        for pool in (self.ready, self.preparing):
            for sock in pool.values():
                sock.close()
        everyone = lambda: [*self.children, *self.preparing, *self.ready]  # noqa: E731
        for pid in everyone():
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_GRACE
        while everyone() and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for pid in everyone():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 2.0
        while everyone() and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        self.listener.close()
        self.path.unlink(missing_ok=True)


def _size_of(env: dict[str, str], default: tuple[int, int]) -> tuple[int, int]:
    """The terminal size a connection asked for (COLUMNS, ROWS), or `default`."""
    try:
        size = int(env["COLUMNS"]), int(env["ROWS"])
    except (KeyError, ValueError, TypeError):
        return default
    return size if all(0 < n <= 1000 for n in size) else default


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="backprop-tutor-starter")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--ready", type=int, default=0, help="sessions to keep prepared for arriving browsers")
    parser.add_argument("app_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    app_args = args.app_args[1:] if args.app_args[:1] == ["--"] else args.app_args
    set_process_name(STARTER_NAME)
    _preload()
    # Everything loaded so far lives as long as the starter: keep the collector from walking it in
    # every session (which costs time and unshares the pages the sessions inherit).
    gc.collect()
    gc.freeze()
    starter = Starter(Path(args.socket), app_args, ready=args.ready)
    print("ready", flush=True)
    starter.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
