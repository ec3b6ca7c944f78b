"""Scenario registry: named functions that draw the numbers of an exercise from a random generator."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:  # numpy is imported by the scenario modules themselves, when a draw is first made
    import numpy as np


@dataclass(frozen=True)
class Draw:
    """One draw of a scenario: named values (what templates and formulas refer to) and an optional context.

    Value names are symbols of the answer grammar (`x`, `a_h1`, `w_h1o1`, `delta_o1`, `gw_h1o1`, `eta`).
    The context carries objects the app can show, such as the network a draw was computed on.
    """

    values: dict[str, float]
    context: Any = field(default=None, compare=False)


Scenario = Callable[["np.random.Generator", Mapping[str, Any]], Draw]

_REGISTRY: dict[str, Scenario] = {}
# Modules that register scenarios; imported on first look-up so that importing the registry stays cheap.
_MODULES = ("calculus", "units", "paths", "networks", "softmax", "deep")
_loaded = False


def scenario(name: str) -> Callable[[Scenario], Scenario]:
    """Register a scenario under `name` (a decorator)."""

    def register(fn: Scenario) -> Scenario:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise ValueError(f"scenario {name!r} registered twice")
        _REGISTRY[name] = fn
        return fn

    return register


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in _MODULES:
            importlib.import_module(f"{__name__}.{module}")
        _loaded = True


def get(name: str) -> Scenario:
    """The scenario registered under `name`; KeyError lists the known ones."""
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def names() -> list[str]:
    """Every registered scenario name."""
    _load()
    return sorted(_REGISTRY)
