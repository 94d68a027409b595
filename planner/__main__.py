"""``python -m planner``: the ``planner`` command."""

import sys

from planner.start import cli

if __name__ == "__main__":
    sys.exit(cli())
