"""Scenarios for the paths lessons."""

from __future__ import annotations

from engine.scenarios import Draw, scenario  # noqa: F401
