"""Defaults of `backprop-tutor serve`, importable without loading the web server."""

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
#: Sessions `serve` keeps prepared for arriving browsers (a class of 30 arriving at once).
DEFAULT_READY = 30
#: The most `serve --ready` accepts (each prepared session holds memory: see README).
MAX_READY = 200
