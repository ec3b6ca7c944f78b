"""Recursive-descent parser for learner answers, with a cap on nesting depth."""

from __future__ import annotations

from collections.abc import Iterable

from .nodes import BinOp, Call, Const, Neg, Node, Num, Sum, Sym
from .notation import general_prime_message
from .tokens import AnswerSyntaxError, Token, tokenize

MAX_DEPTH = 30

# name typed -> canonical function (ln and log are both the natural logarithm)
FUNCTIONS = {
    "exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt",
    "sigmoid": "sigmoid", "sigma": "sigmoid", "tanh": "tanh", "relu": "relu",
}
DIFFERENTIABLE = {"sigmoid", "tanh", "relu"}
CONSTANTS = {"e", "pi"}
ALLOWED_FUNCTIONS_TEXT = (
    "exp, log (or ln), sqrt, sigmoid (or σ), tanh, relu, the derivatives sigmoid', tanh', relu' "
    "(or σ′), and sum_k(...) (or Σ_k) for a sum"
)


def _show(tok: Token) -> str:
    return "the end of the answer" if tok.kind == "end" else f"'{tok.text}'"


class _Parser:
    def __init__(self, tokens: list[Token], symbols: frozenset[str]):
        self.toks = tokens
        self.i = 0
        self.symbols = symbols
        self.depth = 0

    # -- helpers
    def peek(self) -> Token:
        return self.toks[self.i]

    def next(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def is_op(self, text: str) -> bool:
        tok = self.toks[self.i]
        return tok.kind == "op" and tok.text == text

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise AnswerSyntaxError(f"the answer is nested too deeply (at position {tok.pos})", tok.pos)

    def unexpected(self, tok: Token) -> AnswerSyntaxError:
        if tok.kind == "end":
            prev = self.toks[self.i - 1] if self.i else None
            after = f" after '{prev.text}'" if prev is not None else ""
            return AnswerSyntaxError(f"the answer ends too early: something is missing{after}", tok.pos)
        return AnswerSyntaxError(f"unexpected {_show(tok)} at position {tok.pos}", tok.pos)

    # -- grammar
    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise AnswerSyntaxError("the answer is empty")
        node = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text == "'":
            raise AnswerSyntaxError(
                f"unexpected ' at position {tok.pos}: the prime goes right after the function name, "
                "as in σ'(x) or tanh'(x)", tok.pos)
        if tok.kind != "end":
            raise self.unexpected(tok)
        return node

    def sum(self) -> Node:
        node = self.term()
        while self.is_op("+") or self.is_op("-"):
            op = self.next().text
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.signed()
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in "*/":
                self.next()
                node = BinOp(tok.text, node, self.signed())
            elif tok.kind == "name" or (tok.kind == "op" and tok.text == "("):
                node = BinOp("*", node, self.power(), implicit=True)  # 2x, a(1-a), )(
            elif tok.kind == "num":
                raise AnswerSyntaxError(
                    f"a number right after another term at position {tok.pos}: write * to multiply", tok.pos)
            else:
                return node

    def signed(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text in "+-":
            self.next()
            self.enter(tok)
            arg = self.signed()
            self.depth -= 1
            return Neg(arg) if tok.text == "-" else arg
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        tok = self.peek()
        if tok.kind == "op" and tok.text == "^":
            self.next()
            self.enter(tok)
            exponent = self.signed()  # right-associative: 2^3^2 = 2^(3^2)
            self.depth -= 1
            return BinOp("^", base, exponent)
        return base

    def group(self, opening: Token, what: str) -> Node:
        """The inside of (...) after `opening` has been consumed."""
        self.enter(opening)
        inner = self.sum()
        self.depth -= 1
        tok = self.peek()
        if tok.kind == "op" and tok.text == ")":
            self.next()
            return inner
        if tok.kind == "end":
            raise AnswerSyntaxError(f"missing ')' for the '(' at position {opening.pos}{what}", opening.pos)
        raise self.unexpected(tok)

    def atom(self) -> Node:
        tok = self.next()
        if tok.kind == "num":
            return Num(tok.value, tok.text)
        if tok.kind == "op" and tok.text == "(":
            return self.group(tok, "")
        if tok.kind == "name":
            return self.name(tok)
        if tok.kind == "op" and tok.text == "'":
            raise AnswerSyntaxError(
                f"unexpected ' at position {tok.pos}: a prime only follows sigmoid, σ, tanh or relu", tok.pos)
        raise self.unexpected(tok)

    def name(self, tok: Token) -> Node:
        name = tok.text
        base, _, sub = name.partition("_")
        if name not in self.symbols:
            if base == "sum":
                return self.sigma(tok, sub)
            if name in FUNCTIONS:
                return self.call(tok)
            if base in FUNCTIONS:
                raise AnswerSyntaxError(
                    f"{base} is a function and takes no subscript (position {tok.pos}): write {base}(...)", tok.pos)
            if name in CONSTANTS:
                return Const(name)
        if self.is_op("'"):
            p = self.peek().pos
            raise AnswerSyntaxError(
                (name not in self.symbols and general_prime_message(name, tok.pos))
                or f"unexpected ' at position {p}: a prime (derivative) only follows sigmoid, σ, tanh or relu", p)
        if (self.is_op("(") and name not in self.symbols and not sub and len(base) > 1
                and base not in ("delta", "eta", "net")):
            raise AnswerSyntaxError(
                f"unknown function '{name}' at position {tok.pos}; the functions you can use are "
                f"{ALLOWED_FUNCTIONS_TEXT}", tok.pos)
        return Sym(name)

    def call(self, tok: Token) -> Node:
        func = FUNCTIONS[tok.text]
        shown = {"sigmoid": "σ", "sqrt": "√"}.get(func, tok.text) if tok.greek else tok.text
        prime = False
        if self.is_op("'"):
            p = self.next().pos
            if func not in DIFFERENTIABLE:
                raise AnswerSyntaxError(
                    f"the prime at position {p} is only for sigmoid', tanh' and relu'; "
                    f"write the derivative of {shown} as a formula", p)
            prime = True
            if self.is_op("'"):
                p = self.peek().pos
                raise AnswerSyntaxError(f"unexpected second ' at position {p}: only first derivatives are known", p)
        power = None
        if self.is_op("^"):
            # tanh²(x) and tanh^2(x) mean (tanh(x))²; only small whole powers, so σ^-1 is not misread
            hat = self.next()
            power = self.atom() if self.peek().kind == "num" or self.is_op("(") else None
            if not (isinstance(power, Num) and power.value in (1.0, 2.0, 3.0, 4.0)):
                raise AnswerSyntaxError(
                    f"a power right after {shown} (position {hat.pos}): write ({shown}(x))^n instead", hat.pos)
        opening = self.peek()
        if not (opening.kind == "op" and opening.text == "("):
            raise AnswerSyntaxError(
                f"{shown} is a function (position {tok.pos}): write {shown}{chr(39) if prime else ''}(...) "
                "with its argument in parentheses", tok.pos)
        self.next()
        node: Node = Call(func, self.group(opening, f" of {shown}"), prime)
        return node if power is None else BinOp("^", node, power)

    def sigma(self, tok: Token, index: str) -> Node:
        shown = "Σ" if tok.greek else "sum"
        if not index:
            raise AnswerSyntaxError(
                f"name the index of the sum at position {tok.pos}: write sum_k(...) or Σ_k", tok.pos)
        self.enter(tok)
        if not tok.greek and self.is_op("("):
            body = self.group(self.next(), f" of {shown}_{index}")
        else:
            if self.peek().kind == "end" or (self.peek().kind == "op" and self.peek().text in ")+"):
                raise AnswerSyntaxError(f"the sum at position {tok.pos} has nothing to sum", tok.pos)
            body = self.term()  # a bare Σ_k runs to the end of the product term
        self.depth -= 1
        return Sum(index, body)


def parse(text: str, symbols: Iterable[str] = ()) -> Node:
    """Parse an answer into a tree, or raise AnswerSyntaxError with a readable message.

    `symbols` are the declared names: they decide whether `a(...)` is a product and whether
    `e` is Euler's number (it is unless declared).
    """
    if not isinstance(text, str):
        raise AnswerSyntaxError("the answer must be text")
    tokens = tokenize(text)
    symbols = frozenset(symbols)
    for t0, t1, t2 in zip(tokens, tokens[1:], tokens[2:]):
        # d/dx, dE/dw: a derivative written as a fraction of differentials, not a formula
        if (t0.kind == "name" and t0.text.startswith("d") and not t0.text.startswith("delta")
                and t0.text not in symbols and t1.text == "/"
                and t2.kind == "name" and t2.text.startswith("d") and t2.text not in symbols
                and not t2.text.startswith("delta")):
            raise AnswerSyntaxError(
                f"'{t0.text}/{t2.text}' at position {t0.pos}: type what the derivative equals, "
                "not the derivative itself", t0.pos)
    return _Parser(tokens, symbols).parse()
