#!/usr/bin/env python3
"""The container's entry point: read settings, build adapters, run, exit once."""

import sys

from planner.start import action

if __name__ == "__main__":
    sys.exit(action())
