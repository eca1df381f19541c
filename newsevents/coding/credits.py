"""Credit lines: captions, photo credits, bylines and editing credits are no news text.

Wire copy carries lines such as "Photo: Fishing boats moored in the harbour", "Caption: A
motorcyclist rides past summit banners", "Reporting by Jane Doe; Editing by John Roe" and
"- With reporting by ...". They describe a picture or name the journalists; an event word in
them ("rides past summit banners") is no event of the story. :func:`credit_lines` finds such
lines in an article's text, and the event coder codes no trigger inside one (docs/output.md,
"What is coded").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

CREDIT_LINE = re.compile(
    r"""^\s*[(\[]?\s*(?:
        (?:file\s+)?(?:photo|photograph|picture|image|video|graphic|illustration|caption)s?
            (?:\s+credit)?\s*[:|]
      | [-\u2013\u2014]*\s*(?:with\s+)?(?:additional\s+)?
            (?:reporting|writing|editing|compiled|translated|produced)\s+by\s
      | by\s+(?-i:[A-Z][\w'\-]*\.?(?:\s+(?:and\s+)?[A-Z][\w'\-]*\.?){1,5})\s*[,;]?\s*$
      | (?:copyright|\u00a9)\s
    )""",
    re.IGNORECASE | re.VERBOSE,
)
"""A line that is a caption, a photo credit, a byline or an editing credit."""


class CreditLines:
    """The character ranges of an article's credit lines."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self._starts = [start for start, _ in ranges]
        self._ends = [end for _, end in ranges]

    def __contains__(self, offset: int) -> bool:
        """Whether the character at ``offset`` lies on a credit line."""
        at = bisect.bisect_right(self._starts, offset) - 1
        return at >= 0 and offset < self._ends[at]

    def __bool__(self) -> bool:
        return bool(self._starts)


def credit_lines(text: str) -> CreditLines:
    """The credit lines of a text (lines are separated by newlines)."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if CREDIT_LINE.match(line):
            ranges.append((start, end))
        start = end + 1
    return CreditLines(ranges)
