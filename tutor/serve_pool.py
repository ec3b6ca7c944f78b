"""A classroom session prepared before its browser arrives: built, styled and laid out, then waiting for a connection.

The warm starter (serve_zygote) keeps a few of these ready. Each is a forked child that runs the
classroom app with ReadyDriver, Textual's web driver started with nobody to talk to yet: the app
composes its sign-in screen, styles it and lays it out at the size the last browser asked for,
drawing into nothing. Once it has settled it tells the starter "ready" and blocks, using no CPU,
until the starter hands it a connection: the three pipes textual-serve's AppService reads and
writes (as stdin, stdout and stderr) and that connection's environment. Then it writes the prelude
textual-serve waits for, applies the browser's size as a resize (far cheaper than a start: the
widgets exist and are styled), and shows its first frame only once it is laid out at that size.
A ready session is used by one connection only; nothing of a learner exists in it before then.
"""

from __future__ import annotations

import gc
import json
import os
import socket
import sys
import time
from threading import Thread

from textual import events
from textual.drivers._input_reader import InputReader
from textual.drivers.web_driver import WebDriver
from textual.geometry import Size

#: Process names (/proc/PID/comm, shown by ps) of a prepared session and of one in use.
READY_NAME, SESSION_NAME = "tutor-ready", "tutor-session"
#: What a prepared session says to the starter when it is ready for a browser.
READY_MESSAGE = b"ready"
#: How much lower (nice) a session is prepared at, when it may return to normal priority afterwards.
PREPARE_NICE = 10
#: Seconds between checks that a prepared session has finished its first layout and settled.
SETTLE_POLL = 0.05
MAX_MESSAGE = 256 * 1024
#: Seconds a session handed to a browser of another size waits for its resize to be laid out.
RESIZE_WAIT = 0.5
#: Output that is not a frame (OSC: the mouse pointer's shape, the clipboard; BEL), kept while frames are
#: held and sent once a browser is attached; at most MAX_KEPT of them.
_KEPT, MAX_KEPT = ("\x1b]", "\x07"), 64


def set_process_name(name: str) -> None:
    """Name this process in /proc (ps, top); nothing happens where that cannot be done."""
    try:
        with open("/proc/self/comm", "w") as comm:
            comm.write(name[:15])
    except OSError:
        pass


def _drop(data: bytes) -> None:
    """Where a prepared session's output goes until a browser is attached."""


class _StartLater:
    """Stands in for the driver's input thread until there is input to read."""

    def start(self) -> None:
        pass


class ReadyDriver(WebDriver):
    """Textual's web driver for a session prepared in advance (one subclass per session: see driver_for).

    Until a connection is handed over, the prelude textual-serve waits for is kept, frames are dropped
    and no input is read. After it, frames stay held until the screen has been laid out at the
    browser's size, and the first one sent is a full frame at that size.
    """

    #: The socket to the starter (set per session by driver_for), and the priority to return to.
    handoff: socket.socket
    priority: int | None = None

    def __init__(self, app, *, debug: bool = False, mouse: bool = True, size: tuple[int, int] | None = None):
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self._prelude: list[bytes] = []
        self._frames_held = True
        self._browser_size: Size | None = None
        self._frames_drawn = 0
        self._recording = False
        #: Terminal commands written while held that are not frames (the pointer shape), sent on attach.
        self._kept: list[str] = []
        self._settle_timer = None
        self._settled_checks = 0

    # -- before a browser ------------------------------------------------------------------------

    def start_application_mode(self) -> None:
        # Everything the web driver writes as it starts (the hello textual-serve waits for, then the
        # terminal modes: alternate screen, mouse, no cursor, bracketed paste) is kept for the browser.
        self._write = self._prelude.append
        self._recording = True
        input_thread, self._key_thread = self._key_thread, _StartLater()
        try:
            super().start_application_mode()
        finally:
            self._key_thread = input_thread
            self._recording = False
        self._write = _drop
        self._settle_timer = self._app.set_interval(SETTLE_POLL, self._check_settled, name="ready-session")

    def write(self, data: str) -> None:
        if self._frames_held and not self._recording:
            if data.startswith(_KEPT) and len(self._kept) < MAX_KEPT:
                self._kept.append(data)  # not a picture: what the browser should still be told
            else:
                self._frames_drawn += 1
            return
        super().write(data)

    def _check_settled(self) -> None:
        """Wait for the browser once the sign-in screen is drawn and nothing is left to do (twice in a row)."""
        app = self._app
        try:
            screen = app.screen
        except Exception:
            return
        busy = (not self._frames_drawn or screen._layout_required or screen._repaint_required
                or screen._dirty_widgets or screen._callbacks
                or any(node.message_queue_size for node in (app, *app.screen_stack, *screen.walk_children())))
        self._settled_checks = 0 if busy else self._settled_checks + 1
        if self._settled_checks < 2:
            return
        self._settle_timer.stop()
        self._wait_for_browser()

    def _wait_for_browser(self) -> None:
        """Block (the whole app, on purpose: a prepared session costs no CPU) until a connection is handed over."""
        gc.collect()  # what preparing left behind, so that none of it is collected while a browser waits
        try:
            self.handoff.send(READY_MESSAGE)
            data, fds, _flags, _addr = socket.recv_fds(self.handoff, MAX_MESSAGE, 3)
        except OSError:
            data, fds = b"", []
        if not data or len(fds) != 3:  # the starter stopped, or let this session go unused
            for fd in fds:
                os.close(fd)
            os._exit(0)
        self.handoff.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        environment = json.loads(data.decode("utf-8"))
        os.environ.clear()
        os.environ.update(environment)
        if self.priority is not None:
            os.setpriority(os.PRIO_PROCESS, 0, self.priority)
        set_process_name(SESSION_NAME)
        try:
            size = (int(environment["COLUMNS"]), int(environment["ROWS"]))
        except (KeyError, ValueError):
            size = self._size or (80, 24)
        self.attach(size)

    # -- a browser has arrived -------------------------------------------------------------------

    def attach(self, size: tuple[int, int]) -> None:
        """Talk to the connection now on stdin and stdout, at the browser's size."""
        gc.disable()  # as a fresh session does until its first paint (see classroom_app.main)
        self._write = self._write_out
        self._write(b"".join(self._prelude))  # "__GANGLION__", then the terminal modes
        self._prelude = []
        for data in self._kept:
            WebDriver.write(self, data)
        self._kept = []
        previous = self._input_reader
        self._input_reader = InputReader()  # fd 0 is the connection's pipe now
        selector = getattr(previous, "_selector", None)
        if selector is not None:
            selector.close()
        self._key_thread = Thread(target=self.run_input_thread, name="textual-input")
        self._key_thread.start()

        app = self._app
        self._browser_size = Size(*size)
        self._size = size
        # Should the first frame not be shown by the layout at the browser's size (it always has been),
        # lay the screen out here at that size: frames are never held for long, nor shown at another size.
        self._resized_by = time.monotonic() + RESIZE_WAIT
        self._resize_watch = app.set_interval(RESIZE_WAIT / 5, self._check_resized, name="ready-session-resize")
        if app.size == self._browser_size:
            self._show()
            return
        app.screen.screen_layout_refresh_signal.subscribe(app, self._laid_out, immediate=True)
        app.post_message(events.Resize(self._browser_size, self._browser_size))

    def _write_out(self, data: bytes) -> None:
        os.write(self.fileno, data)

    def _laid_out(self, screen) -> None:
        """After each layout of the screen: show it once it has the browser's size."""
        if self._frames_held and screen._compositor.size == self._browser_size:
            self._show()

    def _check_resized(self) -> None:
        screen = self._app.screen
        if self._frames_held and screen._compositor.size == self._browser_size:
            self._show()
        elif self._frames_held and time.monotonic() > self._resized_by:
            print("backprop-tutor: a prepared session's first frame was shown late", file=sys.__stderr__, flush=True)
            self._resized_by = float("inf")  # once
            screen._refresh_layout(self._browser_size)  # publishes the layout signal: see _laid_out
            if self._frames_held:
                self._show()
        if not self._frames_held:
            self._resize_watch.stop()

    def _show(self) -> None:
        """The browser's first frame: the whole screen, as laid out now."""
        app = self._app
        if app._batch_count:  # changes are being batched and nothing would be drawn: try again after
            return
        self._frames_held = False
        screen = app.screen
        screen.screen_layout_refresh_signal.unsubscribe(app)
        app._display(screen, screen._compositor.render_update(full=True, screen_stack=app._background_screens))
        gc.enable()


def driver_for(handoff: socket.socket, priority: int | None) -> type[ReadyDriver]:
    """A ReadyDriver class for one prepared session (Textual builds the driver from a class)."""
    return type("ReadyDriver", (ReadyDriver,), {"handoff": handoff, "priority": priority})


def run_ready(handoff: socket.socket, app_args: list[str], size: tuple[int, int], lower_priority: bool) -> int:
    """Prepare one classroom session in this (forked) process and run it once a browser is handed over."""
    set_process_name(READY_NAME)
    # Until a browser arrives: no input (a pipe at its end, which Textual's reader can watch), output to
    # nowhere; stderr stays the starter's, so a failure while preparing is seen.
    read_end, write_end = os.pipe()
    os.dup2(read_end, 0)
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)
    for fd in (read_end, write_end, nowhere):
        os.close(fd)
    priority = None
    if lower_priority:
        priority = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, 0, min(19, priority + PREPARE_NICE))
    os.environ["COLUMNS"], os.environ["ROWS"] = str(size[0]), str(size[1])
    from tutor.classroom_app import main

    return main(app_args, driver_class=driver_for(handoff, priority))


def can_return_to_normal_priority() -> bool:
    """Whether a process here may lower its priority and later raise it back (root, or RLIMIT_NICE allows).

    Tried in a short-lived child, so this process's priority is never touched."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            base = os.getpriority(os.PRIO_PROCESS, 0)
            os.setpriority(os.PRIO_PROCESS, 0, min(19, base + PREPARE_NICE))
            os.setpriority(os.PRIO_PROCESS, 0, base)
            code = 0
        except OSError:
            pass
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
