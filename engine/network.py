"""A fully connected network in numpy: forward pass, backward pass (δ's and gradients), one step."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.activations import ACTIVATIONS, activate, derivative, softmax_backward
from engine.losses import LOSSES, loss_grad_a, loss_value


@dataclass(frozen=True, eq=False)  # arrays: no elementwise ==
class Forward:
    """Everything the forward pass computed.

    nets[l] and acts[l + 1] belong to layer l + 1 (the non-input layers); acts[0] is the input.
    Arrays are 1-D for a single example and 2-D (rows = examples) for a batch.
    """

    nets: list[np.ndarray]
    acts: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        """The network's output a (the last layer's activations)."""
        return self.acts[-1]


@dataclass(frozen=True, eq=False)
class Gradients:
    """What the backward pass computed: δ = ∂E/∂net per non-input layer, ∂E/∂W, ∂E/∂b and E.

    deltas[l] belongs to layer l + 1 and has the shape of nets[l]; grad_weights[l] has the shape
    of weights[l]; with a batch, E and the gradients are sums over the examples.
    """

    deltas: list[np.ndarray]
    grad_weights: list[np.ndarray]
    grad_biases: list[np.ndarray] | None
    E: float


@dataclass(eq=False)
class Network:
    """A fully connected feed-forward network.

    weights[l] has shape (n_{l+1}, n_l) and maps layer l to layer l+1, indexed [k][j] (receiving unit
    first) so that net = W @ a. biases[l] has shape (n_{l+1},), or biases is None. activations has
    one name per non-input layer (sigmoid, tanh, relu, linear, softmax; softmax only last); loss is
    "sse" (E = ½Σ(t − a)²) or "cross_entropy" (E = −Σ t ln a, softmax output only; any targets t ≥ 0,
    not only ones that sum to 1).
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray] | None = None
    activations: list[str] | None = None
    loss: str = "sse"
    _sizes: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.weights = [np.array(w, dtype=float, ndmin=2) for w in self.weights]
        if not self.weights:
            raise ValueError("a network needs at least one weight matrix")
        sizes = [self.weights[0].shape[1]]
        for l, w in enumerate(self.weights):
            if w.ndim != 2 or w.shape[1] != sizes[-1]:
                raise ValueError(f"weights[{l}] has shape {w.shape}, expected (n, {sizes[-1]})")
            sizes.append(w.shape[0])
        self._sizes = tuple(sizes)
        if self.biases is not None:
            self.biases = [np.array(b, dtype=float).reshape(-1) for b in self.biases]
            if [b.shape[0] for b in self.biases] != sizes[1:]:
                raise ValueError(f"biases have sizes {[b.shape[0] for b in self.biases]}, expected {sizes[1:]}")
        if self.activations is None:
            self.activations = ["sigmoid"] * len(self.weights)
        self.activations = list(self.activations)
        if len(self.activations) != len(self.weights):
            raise ValueError(f"{len(self.activations)} activations for {len(self.weights)} layers")
        for l, name in enumerate(self.activations):
            if name not in ACTIVATIONS:
                raise ValueError(f"unknown activation {name!r}")
            if name == "softmax" and l != len(self.activations) - 1:
                raise ValueError("softmax is only allowed in the output layer")
        if self.loss not in LOSSES:
            raise ValueError(f"unknown loss {self.loss!r}")
        if self.loss == "cross_entropy" and self.activations[-1] != "softmax":
            raise ValueError("cross_entropy needs a softmax output layer")

    @property
    def sizes(self) -> tuple[int, ...]:
        """Units per layer, input layer first."""
        return self._sizes

    @classmethod
    def random(
        cls,
        sizes: list[int],
        activations: list[str] | None = None,
        loss: str = "sse",
        biases: bool = True,
        rng: np.random.Generator | int | None = None,
        scale: float = 1.0,
    ) -> "Network":
        """A network with weights (and biases) drawn uniformly from [−scale, scale]."""
        rng = np.random.default_rng(rng)
        weights = [rng.uniform(-scale, scale, (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
        bs = [rng.uniform(-scale, scale, n_out) for n_out in sizes[1:]] if biases else None
        return cls(weights, bs, activations, loss)

    def forward(self, x) -> Forward:
        """Run the network on one example x (shape (n_0,)) or a batch (shape (B, n_0))."""
        a = np.asarray(x, dtype=float)
        if a.shape[-1:] != (self._sizes[0],) or a.ndim > 2:
            raise ValueError(f"input has shape {a.shape}, expected ({self._sizes[0]},) or (B, {self._sizes[0]})")
        nets, acts = [], [a]
        with np.errstate(under="ignore"):  # underflow to 0 is the correctly rounded result here
            for l, (w, name) in enumerate(zip(self.weights, self.activations)):
                net = a @ w.T  # net_k = Σ_j w_jk a_j, written W @ a with W indexed [k][j]
                if self.biases is not None:
                    net = net + self.biases[l]
                a = activate(name, net)
                nets.append(net)
                acts.append(a)
        return Forward(nets, acts)

    def error(self, fwd: Forward, t) -> float:
        """E of a forward pass against targets t (summed over a batch)."""
        with np.errstate(under="ignore"):
            return loss_value(self.loss, fwd.nets[-1], fwd.acts[-1], self._targets(fwd, t))

    def backward(self, fwd: Forward, t) -> Gradients:
        """δ of every non-input layer, ∂E/∂W, ∂E/∂b and E, for the forward pass `fwd`."""
        t = self._targets(fwd, t)
        L = len(self.weights)
        deltas: list[np.ndarray] = [np.empty(0)] * L
        grad_w: list[np.ndarray] = [np.empty(0)] * L
        with np.errstate(under="ignore"):
            E = loss_value(self.loss, fwd.nets[-1], fwd.acts[-1], t)
            a_out, name = fwd.acts[-1], self.activations[-1]
            if self.loss == "cross_entropy":
                # softmax + cross-entropy: ∂E/∂net_k = Σ_i (−t_i/a_i)·a_i([i = k] − a_k) = a_k·Σ_i t_i − t_k,
                # which is a_k − t_k when the targets sum to 1
                delta = a_out * t.sum(axis=-1, keepdims=True) - t
            elif name == "softmax":
                delta = softmax_backward(a_out, loss_grad_a(self.loss, a_out, t))
            else:
                # δ_k = ∂E/∂a_k · ∂a_k/∂net_k = (a_k − t_k)·f′(net_k)
                delta = loss_grad_a(self.loss, a_out, t) * derivative(name, fwd.nets[-1], a_out)
            for l in range(L - 1, -1, -1):
                deltas[l] = delta
                a_prev = fwd.acts[l]
                # ∂net_k/∂w_jk = a_j, so ∂E/∂w_jk = δ_k·a_j (summed over the batch rows)
                grad_w[l] = np.outer(delta, a_prev) if delta.ndim == 1 else delta.T @ a_prev
                if l > 0:
                    # ∂net_k/∂a_j = w_jk, summed over every k that j feeds: ∂E/∂a_j = Σ_k w_jk δ_k
                    back = delta @ self.weights[l]
                    # δ_j = ∂E/∂a_j · f′(net_j)
                    delta = back * derivative(self.activations[l - 1], fwd.nets[l - 1], a_prev)
            grad_b = None
            if self.biases is not None:
                # ∂net_k/∂b_k = 1, so ∂E/∂b_k = δ_k (summed over the batch rows)
                grad_b = [d if d.ndim == 1 else d.sum(axis=0) for d in deltas]
        return Gradients(deltas, grad_w, grad_b, E)

    def gradients(self, x, t) -> Gradients:
        """Forward then backward in one call."""
        return self.backward(self.forward(x), t)

    def step(self, grads: Gradients, eta: float) -> "Network":
        """A new network after one gradient-descent step: every w ← w − η·∂E/∂w, all at once."""
        weights = [w - eta * g for w, g in zip(self.weights, grads.grad_weights)]
        biases = None
        if self.biases is not None:
            if grads.grad_biases is None:
                raise ValueError("the gradients have no bias gradients but the network has biases")
            biases = [b - eta * g for b, g in zip(self.biases, grads.grad_biases)]
        return Network(weights, biases, list(self.activations), self.loss)

    def copy(self) -> "Network":
        """An independent copy (arrays copied)."""
        biases = None if self.biases is None else [b.copy() for b in self.biases]
        return Network([w.copy() for w in self.weights], biases, list(self.activations), self.loss)

    def _targets(self, fwd: Forward, t) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        if t.shape != fwd.acts[-1].shape:
            raise ValueError(f"target has shape {t.shape}, expected {fwd.acts[-1].shape}")
        return t


def unit_label(sizes, layer: int, j: int) -> str:
    """The house label of unit j (0-based) of `layer`: i1/h1/o1 in networks of up to three layers,
    otherwise the index with a layer superscript, e.g. 1^(2)."""
    n_layers = len(sizes)
    if n_layers <= 3:
        letter = "i" if layer == 0 else ("o" if layer == n_layers - 1 else "h")
        return f"{letter}{j + 1}"
    return f"{j + 1}^({layer})"


def symbol(name: str, sizes, layer: int, j: int) -> str:
    """A quantity of a unit in house notation: symbol("a", ..., 1, 0) is a_h1 (or a_1^(1) when deep)."""
    return f"{name}_{unit_label(sizes, layer, j)}"


def weight_symbol(sizes, l: int, k: int, j: int) -> str:
    """The weight weights[l][k][j] in house notation: w_jk from unit j of layer l to unit k of layer
    l+1, e.g. w_h1o2, or w_12^(2) in deeper networks (W^(l+1) maps layer l to layer l+1)."""
    if len(sizes) <= 3:
        return f"w_{unit_label(sizes, l, j)}{unit_label(sizes, l + 1, k)}"
    sep = "," if max(sizes[l], sizes[l + 1]) > 9 else ""
    return f"w_{j + 1}{sep}{k + 1}^({l + 1})"


def bias_symbol(sizes, l: int, k: int) -> str:
    """The bias biases[l][k] of unit k of layer l+1, e.g. b_o1 or b_1^(2)."""
    return symbol("b", sizes, l + 1, k)
