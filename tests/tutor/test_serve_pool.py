"""`serve --ready N`: sessions prepared before their browsers arrive, taken once each, refilled, and stopped cleanly.

Every test runs the real `serve` on a free port and talks to it over its websocket as a browser does.
Which process is which is read from /proc: serve names a prepared session `tutor-ready` and a session
in use `tutor-session` (as ps shows them).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pyte
import pytest

from browser_client import BrowserSession, Served, descendants, process_name, sign_in
from tutor.learners import folder_name

READY, SESSION = "tutor-ready", "tutor-session"
PAINTED = ("Sign in to the class", "your name", "Another name")
#: The sign-in box is 64 columns wide (LoginScreen's CSS), centred on the screen.
BOX_WIDTH = 64


def named(served: Served, name: str) -> set[int]:
    return {pid for pid in descendants(served.proc.pid) if process_name(pid) == name}


async def until(condition, timeout: float = 60.0, what: str = ""):
    """Poll condition() until it returns something true; that value. TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise TimeoutError(f"waited {timeout} s for {what}")


def first_paint(session: BrowserSession, width: int, height: int) -> pyte.Screen:
    """The browser's screen at the moment the sign-in screen first shows whole (messages fed one by one)."""
    screen = pyte.Screen(width, height)
    stream = pyte.ByteStream(screen)
    for message in session.messages:
        stream.feed(message)
        text = "\n".join(screen.display)
        if all(needle in text for needle in PAINTED):
            return screen
    raise AssertionError("the sign-in screen never showed whole")


@pytest.fixture
def pooled(tmp_path):
    with Served(tmp_path, ready=2) as served:
        served.wait_until_prepared()
        yield served


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (60, 20)])
async def test_a_prepared_session_paints_its_first_frame_at_the_browsers_size(pooled, size):
    width, height = size
    prepared = await until(lambda: named(pooled, READY) if len(named(pooled, READY)) == 2 else None,
                           what="two prepared sessions")
    session = await BrowserSession(pooled.url, width, height, render=False).connect()
    try:
        await session.wait_for(*PAINTED)
        # the browser was given a prepared session: one of them is now in use, none was forked for it
        assert named(pooled, SESSION) <= prepared and len(named(pooled, SESSION)) == 1
        screen = first_paint(session, width, height)
    finally:
        await session.close()
    rows = screen.display
    # The first frame that shows the sign-in screen is laid out for this browser: the footer on its
    # last row and nowhere else, the box centred in its width (80x24 would put both elsewhere).
    assert "Another name" in rows[height - 1]
    assert [i for i, row in enumerate(rows) if "Another name" in row] == [height - 1]
    title_row = next(row for row in rows if "Sign in to the class" in row)
    assert title_row.index("█") == max(0, (width - BOX_WIDTH) // 2)  # narrower than the box: it fills the width


async def test_two_browsers_get_two_processes_each_used_once(pooled):
    prepared = await until(lambda: named(pooled, READY) if len(named(pooled, READY)) == 2 else None,
                           what="two prepared sessions")
    ana, bea = BrowserSession(pooled.url), BrowserSession(pooled.url)
    await asyncio.gather(ana.connect(), bea.connect())
    try:
        await asyncio.gather(ana.wait_for(*PAINTED), bea.wait_for(*PAINTED))
        in_use = named(pooled, SESSION)
        assert in_use == prepared  # both prepared sessions taken, one each
        await ana.type("Ana\r")
        await ana.wait_for("New here, Ana?")
        await asyncio.sleep(0.5)
        assert "Ana" not in bea.text()  # what one types never shows in the other
    finally:
        await ana.close()
        await bea.close()
    # a session ends with its browser: neither process is left to serve anyone else
    await until(lambda: not (named(pooled, SESSION) | named(pooled, READY)) & in_use,
                what="the two used sessions to end")


async def test_the_pool_refills_after_a_session_is_taken(pooled):
    prepared = await until(lambda: named(pooled, READY) if len(named(pooled, READY)) == 2 else None,
                           what="two prepared sessions")
    session = await BrowserSession(pooled.url).connect()
    try:
        await session.wait_for(*PAINTED)
        taken = named(pooled, SESSION)
        assert len(taken) == 1 and taken <= prepared
        assert named(pooled, READY) == prepared - taken  # one left until the pool is refilled
        refilled = await until(lambda: named(pooled, READY) if len(named(pooled, READY)) == 2 else None,
                               what="the pool to be refilled")
        assert not refilled & taken and refilled & prepared == prepared - taken
        # the learner's session carries on meanwhile
        await sign_in(session, "Cleo", "2468", new=True)
        await session.wait_for("Welcome to backprop-tutor", "Cleo")
    finally:
        await session.close()


async def test_a_browser_arriving_when_the_pool_is_empty_gets_a_session_forked_for_it(pooled):
    prepared = await until(lambda: named(pooled, READY) if len(named(pooled, READY)) == 2 else None,
                           what="two prepared sessions")
    sessions = [BrowserSession(pooled.url) for _ in range(3)]
    await asyncio.gather(*(s.connect() for s in sessions))
    try:
        await asyncio.gather(*(s.wait_for(*PAINTED) for s in sessions))
        in_use = named(pooled, SESSION)
        assert len(in_use) == 3 and len(in_use & prepared) == 2  # two from the pool, one forked on arrival
        # every one of the three works: each signs in as its own learner
        names = ["Dina", "Emil", "Fred"]
        await asyncio.gather(*(sign_in(s, n, "1357", new=True) for s, n in zip(sessions, names)))
        await asyncio.gather(*(s.wait_for("Welcome to backprop-tutor", n) for s, n in zip(sessions, names)))
    finally:
        for s in sessions:
            await s.close()
    for name in names:
        assert (pooled.data_dir / "learners" / folder_name(name) / "progress.db").exists()


async def test_prepared_sessions_wait_at_lower_priority_and_run_at_normal_priority(pooled):
    from tutor.serve_pool import PREPARE_NICE, can_return_to_normal_priority

    prepared = await until(lambda: named(pooled, READY) if len(named(pooled, READY)) == 2 else None,
                           what="two prepared sessions")
    base = os.getpriority(os.PRIO_PROCESS, pooled.proc.pid)
    lowered = min(19, base + PREPARE_NICE) if can_return_to_normal_priority() else base
    assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in prepared} == {lowered}
    session = await BrowserSession(pooled.url).connect()
    try:
        await session.wait_for(*PAINTED)
        (pid,) = named(pooled, SESSION)
        assert os.getpriority(os.PRIO_PROCESS, pid) == base
    finally:
        await session.close()


def _gone(pids: set[int]) -> bool:
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        return False
    return True


@pytest.mark.parametrize("how", ["sigint-to-serve", "ctrl-c-to-the-process-group"])
async def test_stopping_leaves_no_process_behind(tmp_path, how):
    served = Served(tmp_path, ready=3)
    try:
        served.wait_until_prepared()
        session = await BrowserSession(served.url).connect()
        await session.wait_for(*PAINTED)
        everyone = set(descendants(served.proc.pid))
        assert named(served, SESSION) and named(served, READY)  # a session in use, and prepared ones
        if how == "sigint-to-serve":
            status, out, err = served.stop()
        else:  # a terminal's Ctrl+C reaches every process in its foreground group, prepared sessions too
            os.killpg(served.proc.pid, signal.SIGINT)
            status, out, err = served.stop()
        await session.wait_for_close()
        await session.close()
    finally:
        if served.proc.poll() is None:
            served.stop()
    assert status == 0, err
    assert "stopped" in out and "Traceback" not in err and "Traceback" not in out
    assert _gone(everyone | {served.proc.pid})  # reaped: not even a zombie is left


async def test_stopping_while_sessions_are_still_being_prepared_leaves_no_process_behind(tmp_path):
    served = Served(tmp_path, ready=6)
    try:
        await until(lambda: descendants(served.proc.pid) and any(
            process_name(p) == READY for p in descendants(served.proc.pid)), what="a session being prepared")
        everyone = set(descendants(served.proc.pid))
        status, out, err = served.stop()
    finally:
        if served.proc.poll() is None:
            served.stop()
    assert status == 0 and "Traceback" not in err, err
    assert _gone(everyone | {served.proc.pid})


async def test_a_prepared_session_sets_up_the_browsers_terminal_as_a_session_forked_on_arrival_does(pooled):
    """Alternate screen, mouse, hidden cursor, bracketed paste: the same bytes, in the same order, before
    the first frame, whether the session was prepared or forked when its browser arrived."""
    await until(lambda: len(named(pooled, READY)) == 2, what="two prepared sessions")
    sessions = [BrowserSession(pooled.url, render=False) for _ in range(3)]
    await asyncio.gather(*(s.connect() for s in sessions))  # two prepared, one forked on arrival
    try:
        await asyncio.gather(*(s.wait_for(*PAINTED) for s in sessions))
    finally:
        for s in sessions:
            await s.close()

    def before_first_frame(session: BrowserSession) -> list[bytes]:
        first = next(i for i, m in enumerate(session.messages) if b"Sign in" in m or b"\x1b[1;1H" in m)
        return session.messages[:first]

    setups = [before_first_frame(s) for s in sessions]
    assert setups[0] == setups[1] == setups[2]
    modes = b"".join(setups[0])
    for mode in (b"\x1b[?1049h", b"\x1b[?1000h", b"\x1b[?25l", b"\x1b[?2004h"):
        assert mode in modes


def _running(pid: int) -> bool:
    """Whether pid is a live process (an ended one not yet reaped by its new parent does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


async def test_if_serve_itself_is_killed_its_starter_ends_every_session(tmp_path):
    served = Served(tmp_path, ready=2)
    everyone: set[int] = set()
    try:
        served.wait_until_prepared()
        session = await BrowserSession(served.url).connect()
        await session.wait_for(*PAINTED)
        everyone = set(descendants(served.proc.pid))
        assert named(served, SESSION) and named(served, READY)
        served.proc.kill()  # SIGKILL: serve cannot stop anything itself
        served.proc.wait()
        await until(lambda: not any(_running(p) for p in everyone), timeout=30,
                    what="the starter and its sessions to end")
        await session.close()
    finally:  # should the test fail, leave nothing running
        served.proc.kill()
        for pid in everyone:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
