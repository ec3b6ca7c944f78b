"""Run the tutor with `python -m tutor`."""

from tutor.launch import main

raise SystemExit(main())
