"""Answer checking: read any learner answer safely, show how it was read, judge it, name the mistake."""

from .check import Preview, Verdict, check, equivalent, evaluate, format_number, preview
from .diagnose import Mistake
from .equivalence import Tolerance
from .sampling import DEFAULT_DOMAINS
from .tokens import AnswerSyntaxError

__all__ = [
    "AnswerSyntaxError", "DEFAULT_DOMAINS", "Mistake", "Preview", "Tolerance", "Verdict",
    "check", "equivalent", "evaluate", "format_number", "preview",
]
