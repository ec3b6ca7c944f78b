"""Run the tutor with `python -m tutor`."""

from tutor.cli import main

raise SystemExit(main())
