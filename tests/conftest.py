"""Shared test settings."""

from hypothesis import settings

# Speed is measured by benchmarks/, not by per-example deadlines that a busy machine misses.
settings.register_profile("planner", deadline=None, print_blob=True)
settings.load_profile("planner")
