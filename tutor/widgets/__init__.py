"""Widgets of the tutor: the answer box, feedback, hints, and the pictures (network, graph, σ curves)."""
