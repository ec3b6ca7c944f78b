"""Defaults of `backprop-tutor serve`, importable without loading the web server."""

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
