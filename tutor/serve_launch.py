"""The command `serve` runs per browser connection: hands its pipes to the warm session starter, or runs the app.

Run by path with `python -S`, so it starts in milliseconds: standard library only, no package imports.
Usage: serve_launch.py SOCKET -- PROGRAM ARGS...   (PROGRAM ARGS run the app here if SOCKET does not answer)
"""

import json
import os
import socket
import sys


def main(argv: list[str]) -> int:
    """Pass stdin, stdout and stderr to the starter at SOCKET and wait for the app's exit status."""
    if len(argv) < 3 or argv[1] != "--":
        print("usage: serve_launch.py SOCKET -- PROGRAM ARGS...", file=sys.stderr)
        return 2
    path, fallback = argv[0], argv[2:]
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        socket.send_fds(conn, [json.dumps(dict(os.environ)).encode("utf-8")], [0, 1, 2])
    except OSError:
        conn.close()
        os.execv(fallback[0], fallback)  # no starter: run the app in this process instead
    # The app holds the pipes now; ours are closed so the server sees the end when the app ends.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    try:
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = conn.recv(64)
            if not chunk:
                return 1  # the starter went away before the app ended
            reply += chunk
        return int(reply)
    except (KeyboardInterrupt, ValueError, OSError):
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
