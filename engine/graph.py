"""A scalar computational graph (micrograd-like): every node keeps its op, value and gradient, and
gradients accumulate over every path from the output."""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.network import Network, bias_symbol, symbol, weight_symbol


class Value:
    """One scalar node: `data` is its value, `grad` is ∂(output)/∂(this node) after `backward()`."""

    def __init__(self, data: float, children: tuple["Value", ...] = (), op: str = "", label: str = ""):
        self.data = float(data)
        self.grad = 0.0
        self.children = tuple(children)
        self.op = op
        self.label = label
        self._backward = lambda: None

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other) -> "Value":
        other = _as_value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # ∂(x + y)/∂x = 1
            other.grad += out.grad  # ∂(x + y)/∂y = 1

        out._backward = _backward
        return out

    def __mul__(self, other) -> "Value":
        other = _as_value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad  # ∂(x·y)/∂x = y
            other.grad += self.data * out.grad  # ∂(x·y)/∂y = x

        out._backward = _backward
        return out

    def __pow__(self, n: float) -> "Value":
        if not isinstance(n, (int, float)):
            raise TypeError("only constant powers are supported")
        out = Value(self.data**n, (self,), f"^{n:g}")

        def _backward():
            self.grad += n * self.data ** (n - 1) * out.grad  # ∂(xⁿ)/∂x = n·xⁿ⁻¹

        out._backward = _backward
        return out

    def exp(self) -> "Value":
        """e^x."""
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad  # ∂(eˣ)/∂x = eˣ

        out._backward = _backward
        return out

    def log(self) -> "Value":
        """ln x (x > 0)."""
        out = Value(math.log(self.data), (self,), "ln")

        def _backward():
            self.grad += out.grad / self.data  # ∂(ln x)/∂x = 1/x

        out._backward = _backward
        return out

    def sigmoid(self) -> "Value":
        """σ(x) = 1/(1 + e^(−x))."""
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        out = Value(s, (self,), "σ")

        def _backward():
            self.grad += s * (1.0 - s) * out.grad  # σ′(x) = σ(x)·(1 − σ(x))

        out._backward = _backward
        return out

    def tanh(self) -> "Value":
        """tanh x."""
        th = math.tanh(self.data)
        out = Value(th, (self,), "tanh")

        def _backward():
            self.grad += (1.0 - th * th) * out.grad  # tanh′(x) = 1 − tanh²(x)

        out._backward = _backward
        return out

    def relu(self) -> "Value":
        """max(0, x)."""
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad  # relu′(x) = 1 if x > 0 else 0

        out._backward = _backward
        return out

    def __neg__(self) -> "Value":
        return self * -1.0

    def __radd__(self, other) -> "Value":
        return self + other

    def __sub__(self, other) -> "Value":
        return self + (-_as_value(other))

    def __rsub__(self, other) -> "Value":
        return _as_value(other) + (-self)

    def __rmul__(self, other) -> "Value":
        return self * other

    def __truediv__(self, other) -> "Value":
        return self * _as_value(other) ** -1

    def __rtruediv__(self, other) -> "Value":
        return _as_value(other) * self**-1

    def topological_order(self) -> list["Value"]:
        """Every node this one depends on, each after all of its children (this node last)."""
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:  # iterative, so deep graphs do not hit the recursion limit
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in node.children if id(c) not in seen)
        return order

    def zero_grad(self) -> None:
        """Set the gradient of this node and everything below it to 0."""
        for node in self.topological_order():
            node.grad = 0.0

    def backward(self) -> None:
        """Fill in .grad of every node below this one with ∂(this)/∂(node), summed over all paths.

        Gradients are added to, not replaced: call zero_grad() first to run it again.
        """
        order = self.topological_order()
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def gradient_arrivals(output: Value, is_stop) -> dict[tuple[int, int], float]:
    """What each gradient is made of, after `output.backward()`: for a node `user` and a node `child`
    below it (both `is_stop`, with only non-stop nodes between them), the part of child.grad that
    arrives through `user`, keyed (id(child), id(user)). A child's arrivals add up to its gradient.

    Each stop node's gradient is pushed down, alone, through the non-stop nodes under it, with the
    same backward rules; every gradient is restored afterwards.
    """
    order = output.topological_order()
    saved = {id(n): n.grad for n in order}
    arrivals: dict[tuple[int, int], float] = {}
    try:
        for user in order:
            if not is_stop(user) or not user.children:
                continue
            between, stops, stack, seen = [], [], list(user.children), set()
            while stack:  # the non-stop nodes between `user` and the stop nodes below it
                node = stack.pop()
                if id(node) in seen:
                    continue
                seen.add(id(node))
                if is_stop(node):
                    stops.append(node)
                else:
                    between.append(node)
                    stack.extend(node.children)
            inside = {id(n) for n in between} | {id(user)}
            for node in between + stops:
                node.grad = 0.0
            user.grad = saved[id(user)]
            for node in reversed(user.topological_order()):
                if id(node) in inside:
                    node._backward()
            for child in stops:
                arrivals[(id(child), id(user))] = arrivals.get((id(child), id(user)), 0.0) + child.grad
    finally:
        for node in order:
            node.grad = saved[id(node)]
    return arrivals


def _as_value(x) -> Value:
    return x if isinstance(x, Value) else Value(x, op="const", label=f"{float(x):g}")


def apply_activation(name: str, v: Value) -> Value:
    """a = f(net) for an elementwise activation (softmax is built per layer in `network_graph`)."""
    if name == "sigmoid":
        return v.sigmoid()
    if name == "tanh":
        return v.tanh()
    if name == "relu":
        return v.relu()
    if name == "linear":
        return v
    raise ValueError(f"{name!r} is not an elementwise activation")


@dataclass
class NetworkGraph:
    """A network unrolled into scalar nodes for one example.

    inputs[j], nets[l][k], acts[l][k] (l counts non-input layers from 0, like Network.forward),
    weights[l][k][j] and biases[l][k] (or None) are the labelled Value nodes; `loss` is E.
    """

    inputs: list[Value]
    weights: list[list[list[Value]]]
    biases: list[list[Value]] | None
    nets: list[list[Value]]
    acts: list[list[Value]]
    loss: Value


def network_graph(network: Network, x, t) -> NetworkGraph:
    """Build E(network, x, t) as a graph of scalar Values, labelled in house notation (w_h1o1, net_o1,
    a_h1, E), so each hidden activation visibly fans out to every unit k of the next layer."""
    sizes = network.sizes
    inputs = [Value(float(v), label=symbol("a", sizes, 0, j)) for j, v in enumerate(x)]
    weights = [
        [[Value(float(W[k, j]), label=weight_symbol(sizes, l, k, j)) for j in range(W.shape[1])] for k in range(W.shape[0])]
        for l, W in enumerate(network.weights)
    ]
    biases = None
    if network.biases is not None:
        biases = [[Value(float(b[k]), label=bias_symbol(sizes, l, k)) for k in range(len(b))] for l, b in enumerate(network.biases)]
    nets: list[list[Value]] = []
    acts: list[list[Value]] = []
    a = inputs
    for l, name in enumerate(network.activations):
        layer_nets = []
        for k, row in enumerate(weights[l]):
            net = row[0] * a[0]
            for w, a_j in zip(row[1:], a[1:]):
                net = net + w * a_j
            if biases is not None:
                net = net + biases[l][k]
            net.label = symbol("net", sizes, l + 1, k)
            layer_nets.append(net)
        if name == "softmax":
            # a constant shift leaves softmax and its derivative unchanged and keeps exp finite
            shift = max(n.data for n in layer_nets)
            exps = [(n - shift).exp() for n in layer_nets]
            total = exps[0]
            for e in exps[1:]:
                total = total + e
            layer_acts = [e / total for e in exps]
        else:
            layer_acts = [apply_activation(name, n) for n in layer_nets]
        for k, act in enumerate(layer_acts):
            act.label = symbol("a", sizes, l + 1, k)
        nets.append(layer_nets)
        acts.append(layer_acts)
        a = layer_acts
    terms = []
    for a_k, t_k in zip(a, t):
        if network.loss == "sse":
            terms.append(0.5 * (float(t_k) - a_k) ** 2)  # ½(t_k − a_k)²
        else:
            terms.append(-float(t_k) * a_k.log())  # −t_k ln a_k
    loss = terms[0]
    for term in terms[1:]:
        loss = loss + term
    loss.label = "E"
    return NetworkGraph(inputs, weights, biases, nets, acts, loss)
