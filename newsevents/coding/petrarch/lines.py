"""Reading PETRARCH/TABARI text files: their meaningful lines, words and dates, and the
codes they share."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsevents.errors import DictionaryError

NULL_CODES = frozenset({"---", "+++", "###"})
"""Actor codes that mean "not an actor" (PETRARCH's null and discard codes)."""
CODE_GROUP = re.compile(r"\[([^\]]*)\]")
TWO_DIGIT_YEAR_PIVOT = 30
"""Six-digit dates ``YYMMDD``: years below 30 are 20YY, the others 19YY."""


@dataclass(frozen=True)
class Line:
    """One meaningful line of a dictionary file: comments removed, indentation kept."""

    number: int
    text: str

    @property
    def indented(self) -> bool:
        return self.text[:1] in {" ", "\t"}


def read_lines(path: Path) -> Iterator[Line]:
    """Lines without ``#`` comments and ``<!-- ... -->`` blocks; blank lines are dropped."""
    try:
        raw = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise DictionaryError(path, None, f"cannot read: {exc}") from exc
    in_comment = False
    for number, text in enumerate(raw, start=1):
        if in_comment:
            if "-->" in text:
                in_comment = False
            continue
        stripped = text.strip()
        if stripped.startswith("<!"):
            in_comment = "-->" not in stripped
            continue
        text = _strip_comment(text)
        if text.strip():
            yield Line(number, text)


def _strip_comment(text: str) -> str:
    """Cut a ``#`` comment; a ``#`` inside ``[...]`` is part of a code (``[###]``)."""
    depth = 0
    for index, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(0, depth - 1)
        elif char == "#" and depth == 0:
            return text[:index].rstrip()
    return text.rstrip()


def words_of(phrase: str) -> tuple[str, ...]:
    """``UNITED_STATES_`` -> ``("united", "states")``: underscores and spaces separate words."""
    return tuple(w for w in re.split(r"[\s_]+", phrase.lower()) if w)


def parse_date(text: str, path: Path, line: int) -> dt.date:
    """``YYYYMMDD`` or ``YYMMDD`` (years below 30 are 20YY)."""
    if len(text) == 6:
        year = int(text[:2])
        text = f"{2000 + year if year < TWO_DIGIT_YEAR_PIVOT else 1900 + year}{text[2:]}"
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise DictionaryError(path, line, f"{text!r} is not a valid date") from exc
