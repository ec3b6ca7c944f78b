"""The Textual application, the command line and the progress store."""

__version__ = "0.1.0"
