"""Where the practice worksheet's numbers are stored, named apart from the worksheet itself, so that
storing seeds does not load numpy and the engine's worksheet."""

PRACTICE = "practice"
#: The seed key a practice draw is stored under (in the seeds table, lesson "practice").
DRAW_KEY = "worksheet"
