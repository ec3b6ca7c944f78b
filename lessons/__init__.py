"""The curriculum: lesson data files and the loader that validates them."""

from lessons.loader import LessonError, curriculum, load_curriculum, load_lesson
from lessons.model import Curriculum, Lesson, Step

__all__ = ["Curriculum", "Lesson", "LessonError", "Step", "curriculum", "load_curriculum", "load_lesson"]
