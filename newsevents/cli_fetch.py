"""CLI commands for the fetch area; registered on the main group by importing this module."""
from __future__ import annotations

from .cli import cli  # noqa: F401 - commands below attach to this group
