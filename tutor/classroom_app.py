"""The tutor as one browser connection of a classroom runs it: sign in first, then the learner's own progress."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Sequence

from textual import events

from tutor.app import BackpropTutor
from tutor.learners import Learner, Registry


class ClassroomTutor(BackpropTutor):
    """BackpropTutor whose progress folder is chosen by signing in: data_dir/learners/<name>/."""

    def __init__(self, *, class_dir: Path, seed: int | None = None) -> None:
        super().__init__(data_dir=Path(class_dir), seed=seed)
        self.class_dir = Path(class_dir)
        self.learner: Learner | None = None
        self.registry: Registry | None = None

    def on_mount(self, event: events.Mount) -> None:
        # The tutor proper starts only after sign-in: keep BackpropTutor.on_mount from opening a store now.
        event.prevent_default()
        from tutor.screens.login import LoginScreen

        # The class list (SQLite) opens when a name is entered, not before the sign-in screen paints:
        # thirty browsers arriving at once would otherwise queue on the file before seeing anything.
        self.push_screen(LoginScreen(self.open_registry), self._signed_in)
        if not gc.isenabled():  # main() holds collection back until the sign-in screen has painted
            self.call_after_refresh(gc.enable)

    def open_registry(self) -> Registry:
        """The class list, opened on first use."""
        if self.registry is None:
            self.registry = Registry(self.class_dir)
        return self.registry

    def _signed_in(self, learner: Learner | None) -> None:
        if learner is None:
            return
        self.learner = learner
        self.data_dir = learner.folder
        self.sub_title = learner.name
        BackpropTutor.on_mount(self)

    def on_unmount(self) -> None:
        if self.registry is not None:
            self.registry.close()


def make_classroom_app(*, class_dir: Path, seed: int | None = None) -> ClassroomTutor:
    """The app each browser connection of `backprop-tutor serve` runs."""
    return ClassroomTutor(class_dir=class_dir, seed=seed)


def main(argv: Sequence[str] | None = None, *, driver_class: type | None = None) -> int:
    """Run one classroom session (the command `serve` starts for each connection).

    `driver_class` replaces the driver Textual would choose (serve_pool's, for a session prepared in advance)."""
    parser = argparse.ArgumentParser(prog="backprop-tutor-session")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    # Nothing the first screen allocates is garbage yet, so collecting while it is built only costs
    # time (a sixth of a session's CPU before its first paint); the app turns collection back on then.
    gc.disable()
    app = make_classroom_app(class_dir=Path(args.data_dir), seed=args.seed)
    if driver_class is not None:
        app.driver_class = driver_class
    app.run()
    return getattr(app, "return_code", None) or 0


if __name__ == "__main__":
    sys.exit(main())
