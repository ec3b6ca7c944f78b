"""Where the learner's progress is kept: the flag, the environment variable, or the platform's data folder.

Apart from the progress store so that a bare start finds the folder without importing sqlite3 and the
store before the first screen.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "BACKPROP_TUTOR_DATA_DIR"
APP_NAME = "backprop-tutor"


def default_data_dir(cli_value: str | None = None) -> Path:
    """--data-dir if given, else $BACKPROP_TUTOR_DATA_DIR, else the platform's user data directory."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
