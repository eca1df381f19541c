"""The command line: one click group (``main``) and one module per command area.

Each area module adds its commands to the group when it is imported; this package imports them
all, so ``newsevents.cli.cli`` is the complete command. The group never imports them back.
"""

from newsevents.cli import analysis, evaluate, fetch, quotes, web  # noqa: F401  (they add commands)
from newsevents.cli.main import cli

__all__ = ["cli"]
