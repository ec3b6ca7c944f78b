"""Answers that borrow another book's notation or hand the work back to the tutor: messages that say what to type."""

from __future__ import annotations

from .nodes import Call, Node, walk

#: How each derivative the answer box knows is worked out by hand, for the refusal message.
BY_HAND = {
    "sigmoid": ("σ′", "σ′ = σ·(1 − σ), with the value of σ"),
    "tanh": ("tanh′", "tanh′ = 1 − tanh², with the value of tanh"),
    "relu": ("relu′", "relu′ is 1 where its input is positive and 0 where it is negative"),
}


def derivative_refusal(tree: Node) -> str | None:
    """In a number answer, sigmoid'(…), tanh'(…) and relu'(…) would let the tutor do the step being
    practised: the message says how to work the derivative out instead (None if none is used)."""
    for node in walk(tree):
        if isinstance(node, Call) and node.prime and node.func in BY_HAND:
            shown, rule = BY_HAND[node.func]
            return (f"here {shown}(…) would let the tutor work out the derivative for you: compute it from "
                    f"the numbers ({rule}) and type the result; arithmetic such as 0.2*(1-0.2) is fine")
    return None


def general_prime_message(name: str, pos: int) -> str | None:
    """For h′(…): h is a general activation function (Bishop's notation), which the tutor cannot
    differentiate; say which functions to type instead. None for any other name."""
    if name != "h":
        return None
    return (f"h′ at position {pos} is the derivative of a general activation function h (Bishop's notation). "
            "Name the activation instead: sigmoid'(…) for σ′, tanh'(…) or relu'(…), "
            "with the weighted input inside the parentheses")
