"""The two error functions: squared error (with the ½) and cross-entropy on a softmax output."""

from __future__ import annotations

import numpy as np

from engine.activations import log_softmax

LOSSES = ("sse", "cross_entropy")


def loss_value(name: str, net_out: np.ndarray, a_out: np.ndarray, t: np.ndarray) -> float:
    """E for the output layer's net and a against targets t, summed over a batch if given one.

    Cross-entropy is computed from net through log-softmax, so ln 0 never happens.
    """
    t = np.asarray(t, dtype=float)
    if name == "sse":
        return float(0.5 * np.sum((t - a_out) ** 2))  # E = ½ Σ_k (t_k − a_k)²
    if name == "cross_entropy":
        return float(-np.sum(t * log_softmax(net_out)))  # E = −Σ_k t_k ln a_k
    raise ValueError(f"unknown loss {name!r} (expected one of {', '.join(LOSSES)})")


def loss_grad_a(name: str, a_out: np.ndarray, t: np.ndarray) -> np.ndarray:
    """∂E/∂a_k of the output layer (used for sse; cross-entropy goes straight to δ)."""
    t = np.asarray(t, dtype=float)
    if name == "sse":
        return a_out - t  # ∂/∂a_k of ½(t_k − a_k)² = −(t_k − a_k) = a_k − t_k
    if name == "cross_entropy":
        raise ValueError("cross-entropy with softmax: Network.backward computes δ = a·Σt − t directly")
    raise ValueError(f"unknown loss {name!r} (expected one of {', '.join(LOSSES)})")
