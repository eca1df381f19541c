"""Trace an event back to its text: where its sentence, trigger, source and target are in the
article, how to cut the article into marked segments, and the dictionary entry behind its rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from newsevents.web.models import Highlight

ROLES: tuple[str, ...] = ("sentence", "source", "target", "trigger")
"""The roles a stretch of text can have, outermost first."""

_RULE_RE = re.compile(r"^(?P<file>[A-Za-z0-9_-]+\.ya?ml):(?P<line>\d+) (?P<id>[A-Za-z0-9_.-]+)$")


@dataclass(frozen=True)
class Segment:
    """A piece of the article text and the roles it has (empty for plain text)."""

    text: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Mark:
    """A stretch the event claims: its role, where it says it is, and the words it holds."""

    role: str
    start: int | None
    end: int | None
    text: str | None


def locate(text: str, sentence: str | None, marks: list[Mark]) -> list[Highlight]:
    """Highlights for the event's sentence and marks, checked against the article text.

    A mark whose offsets do not hold its words is looked for in the sentence instead; one that
    cannot be found is left out rather than marking the wrong words.
    """
    anchor = next((m.start for m in marks if m.start is not None), None)
    found: list[Highlight] = []
    sentence_span = _find_sentence(text, sentence, anchor)
    if sentence_span is not None and sentence is not None:
        found.append(Highlight("sentence", *sentence_span, sentence))
    for mark in marks:
        span = _place_mark(text, mark, sentence_span)
        if span is not None:
            found.append(Highlight(mark.role, span[0], span[1], text[span[0] : span[1]]))
    return found


def _find_sentence(text: str, sentence: str | None, anchor: int | None) -> tuple[int, int] | None:
    if not sentence:
        return None
    best: tuple[int, int] | None = None
    start = text.find(sentence)
    while start != -1:
        span = (start, start + len(sentence))
        if anchor is None or span[0] <= anchor < span[1]:
            return span
        best = best or span
        start = text.find(sentence, start + 1)
    return best


def _place_mark(text: str, mark: Mark, sentence: tuple[int, int] | None) -> tuple[int, int] | None:
    if not mark.text:
        return None
    if mark.start is not None and mark.end is not None:
        start, end = mark.start, mark.end
        if 0 <= start < end <= len(text) and text[start:end] == mark.text:
            return start, end
    if sentence is not None:
        at = text.find(mark.text, sentence[0], sentence[1])
        if at != -1:
            return at, at + len(mark.text)
    return None


def segments(text: str, highlights: list[Highlight]) -> list[Segment]:
    """Cut ``text`` at every highlight boundary; each piece carries the roles covering it."""
    cuts = {0, len(text)}
    for h in highlights:
        cuts.update((max(0, min(h.start, len(text))), max(0, min(h.end, len(text)))))
    bounds = sorted(cuts)
    pieces: list[Segment] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        if start == end:
            continue
        covering = {h.role for h in highlights if h.start <= start and end <= h.end}
        pieces.append(Segment(text[start:end], tuple(r for r in ROLES if r in covering)))
    return pieces


@dataclass(frozen=True)
class RuleEntry:
    """A rule such as ``verbs.yaml:153 meet`` split up, with the entry's lines when found."""

    file: str | None
    line: int | None
    entry_id: str | None
    entry: str | None


def rule_entry(rule: str | None) -> RuleEntry:
    """Find the dictionary entry a rule names in the packaged data files (by its id, so an
    edited file still shows the right entry). Rules of another form are returned unsplit."""
    match = _RULE_RE.match(rule or "")
    if match is None:
        return RuleEntry(None, None, None, None)
    name, entry_id = match["file"], match["id"]
    resource = resources.files("newsevents") / "data" / name
    try:
        lines = resource.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return RuleEntry(name, int(match["line"]), entry_id, None)
    return RuleEntry(name, int(match["line"]), entry_id, _yaml_entry(lines, entry_id))


def _yaml_entry(lines: list[str], entry_id: str) -> str | None:
    """The lines of the list item ``- id: <entry_id>`` in a YAML list of entries."""
    head = re.compile(rf"^(\s*)- id: ['\"]?{re.escape(entry_id)}['\"]?\s*$")
    for number, line in enumerate(lines):
        found = head.match(line)
        if found is None:
            continue
        indent = len(found[1])
        block = [line]
        for following in lines[number + 1 :]:
            stripped = following.strip()
            if not stripped or stripped.startswith("#"):
                break
            if len(following) - len(following.lstrip()) <= indent:
                break
            block.append(following)
        return "\n".join(block)
    return None
