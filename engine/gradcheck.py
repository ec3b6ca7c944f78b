"""Finite-difference gradient checking: an independent confirmation of the backward pass."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.network import Gradients, Network


def relative_error(analytic, numeric) -> np.ndarray:
    """|a − n| / (|a| + |n|) elementwise, defined as 0 where both are exactly 0."""
    a = np.asarray(analytic, dtype=float)
    n = np.asarray(numeric, dtype=float)
    denom = np.abs(a) + np.abs(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom == 0, 0.0, np.abs(a - n) / np.where(denom == 0, 1.0, denom))


def numerical_gradients(network: Network, x, t, eps: float = 1e-6) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
    """∂E/∂W and ∂E/∂b by central differences (E(w + ε) − E(w − ε)) / 2ε, one parameter at a time."""
    net = network.copy()  # perturbed in place, so the caller's network is never touched

    def E() -> float:
        return net.error(net.forward(x), t)

    def central(params: np.ndarray) -> np.ndarray:
        grad = np.zeros_like(params)
        for idx in np.ndindex(params.shape):
            old = params[idx]
            params[idx] = old + eps
            e_plus = E()
            params[idx] = old - eps
            e_minus = E()
            params[idx] = old
            grad[idx] = (e_plus - e_minus) / (2 * eps)
        return grad

    grad_w = [central(w) for w in net.weights]
    grad_b = None if net.biases is None else [central(b) for b in net.biases]
    return grad_w, grad_b


@dataclass(frozen=True)
class GradCheck:
    """Backprop's gradients beside the finite-difference ones, with their relative errors."""

    analytic: Gradients
    numeric_weights: list[np.ndarray]
    numeric_biases: list[np.ndarray] | None
    rel_error_weights: list[np.ndarray]
    rel_error_biases: list[np.ndarray] | None

    @property
    def max_rel_error(self) -> float:
        """The largest relative error over every weight and bias."""
        errs = list(self.rel_error_weights) + list(self.rel_error_biases or [])
        return max((float(e.max()) for e in errs if e.size), default=0.0)

    def ok(self, rel_tol: float = 1e-5, abs_tol: float = 1e-8) -> bool:
        """True when every gradient agrees: relative error below rel_tol, or the two values differ by
        less than abs_tol (near-zero gradients are dominated by the finite-difference rounding)."""
        pairs = list(zip(self.analytic.grad_weights, self.numeric_weights, self.rel_error_weights))
        if self.numeric_biases is not None and self.analytic.grad_biases is not None:
            pairs += list(zip(self.analytic.grad_biases, self.numeric_biases, self.rel_error_biases or []))
        return all(bool(np.all((r < rel_tol) | (np.abs(a - n) < abs_tol))) for a, n, r in pairs)


def check_gradients(network: Network, x, t, grads: Gradients | None = None, eps: float = 1e-6) -> GradCheck:
    """Compare gradients (by default the network's own backward pass) with finite differences."""
    if grads is None:
        grads = network.gradients(x, t)
    num_w, num_b = numerical_gradients(network, x, t, eps)
    rel_w = [relative_error(a, n) for a, n in zip(grads.grad_weights, num_w)]
    rel_b = None
    if num_b is not None and grads.grad_biases is not None:
        rel_b = [relative_error(a, n) for a, n in zip(grads.grad_biases, num_b)]
    return GradCheck(grads, num_w, num_b, rel_w, rel_b)
