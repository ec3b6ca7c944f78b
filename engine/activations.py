"""Activation functions and their derivatives, written to stay finite at extreme inputs."""

from __future__ import annotations

import numpy as np

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear", "softmax")


def sigmoid(net: np.ndarray) -> np.ndarray:
    """σ(net) = 1 / (1 + e^(−net)), computed through e^(−|net|) so it never overflows."""
    net = np.asarray(net, dtype=float)
    z = np.exp(-np.abs(net))  # in (0, 1]: underflows to 0 at |net| ≳ 745, which is the right limit
    return np.where(net >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def softmax(net: np.ndarray) -> np.ndarray:
    """softmax over the last axis; the max is subtracted first so exp never overflows."""
    net = np.asarray(net, dtype=float)
    e = np.exp(net - net.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(net: np.ndarray) -> np.ndarray:
    """ln softmax(net) without forming the (possibly zero) probabilities first."""
    net = np.asarray(net, dtype=float)
    shifted = net - net.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def activate(name: str, net: np.ndarray) -> np.ndarray:
    """a = f(net) for the named activation (softmax works on the last axis)."""
    net = np.asarray(net, dtype=float)
    if name == "sigmoid":
        return sigmoid(net)
    if name == "tanh":
        return np.tanh(net)
    if name == "relu":
        return np.maximum(net, 0.0)
    if name == "linear":
        return net.copy()
    if name == "softmax":
        return softmax(net)
    raise ValueError(f"unknown activation {name!r} (expected one of {', '.join(ACTIVATIONS)})")


def derivative(name: str, net: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Elementwise da/dnet for the named activation, from the already computed net and a.

    softmax has no elementwise derivative (each a_k depends on every net_j): use
    `softmax_backward` for it.
    """
    if name == "sigmoid":
        return a * (1.0 - a)  # σ′(net) = σ(net)·(1 − σ(net)) = a·(1 − a)
    if name == "tanh":
        return 1.0 - a * a  # tanh′(net) = 1 − tanh²(net) = 1 − a²
    if name == "relu":
        return (np.asarray(net) > 0).astype(float)  # relu′(net) = 1 if net > 0 else 0 (0 at net = 0)
    if name == "linear":
        return np.ones_like(np.asarray(a, dtype=float))  # d(net)/d(net) = 1
    if name == "softmax":
        raise ValueError("softmax has a full Jacobian; use softmax_backward")
    raise ValueError(f"unknown activation {name!r} (expected one of {', '.join(ACTIVATIONS)})")


def softmax_backward(a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
    """∂E/∂net from ∂E/∂a through softmax, along the last axis."""
    # ∂a_k/∂net_j = a_k·([k = j] − a_j), so ∂E/∂net_j = a_j·(∂E/∂a_j − Σ_k ∂E/∂a_k·a_k)
    return a * (grad_a - (grad_a * a).sum(axis=-1, keepdims=True))
