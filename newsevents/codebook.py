"""The CAMEO codebook: every event code with its name, Goldstein value, quad/penta class
and PLOVER mapping, read from ``newsevents/data/cameo_codes.tsv``.

    >>> cb = Codebook.load()
    >>> cb["042"].name, cb["042"].goldstein
    ('Make a visit', 1.9)

The table is built by ``scripts/build_codebook.py``; ``docs/codebook.md`` explains it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from newsevents.errors import DictionaryError

COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "goldstein",
    "quad_class",
    "penta_class",
    "plover_event",
    "plover_mode",
)

_CODE_RE = re.compile(r"^(0[1-9]|1[0-9]|20)[0-9]{0,2}$")
_PLOVER_EVENT_RE = re.compile(r"^[A-Z][A-Z_]*$")


def quad_class_of_root(root: str) -> int:
    """GDELT QuadClass of a root code: 01-05 -> 1, 06-09 -> 2, 10-14 -> 3, 15-20 -> 4."""
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 9 else 3 if r <= 14 else 4


def penta_class_of_root(root: str) -> int:
    """Penta class of a root code: 01-02 -> 0, 03-05 -> 1, 06-09 -> 2, 10-14 -> 3, 15-20 -> 4."""
    r = int(root)
    return 0 if r <= 2 else 1 if r <= 5 else 2 if r <= 9 else 3 if r <= 14 else 4


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code. ``code`` is a string and keeps its leading zeros ("010")."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    penta_class: int
    plover_event: str | None
    plover_mode: str | None

    @property
    def root(self) -> str:
        """The two-digit root code ("0211" -> "02")."""
        return self.code[:2]


class Codebook:
    """All CAMEO codes, iterated in code order (which is also the hierarchical order)."""

    def __init__(self, codes: Iterable[CameoCode], path: str | None = None) -> None:
        by_code: dict[str, CameoCode] = {}
        for c in codes:
            if c.code in by_code:
                raise ValueError(f"duplicate CAMEO code {c.code!r}")
            by_code[c.code] = c
        self._codes = {k: by_code[k] for k in sorted(by_code)}
        self.path = path

    @classmethod
    def load(cls, path: str | Path | None = None) -> Codebook:
        """Read a codebook TSV; by default the one packaged with newsevents.

        Raises DictionaryError (with file and line) for any malformed entry.
        """
        if path is None:
            resource = resources.files("newsevents") / "data" / "cameo_codes.tsv"
            where = str(resource)
            try:
                text = resource.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise DictionaryError(where, None, f"cannot read codebook: {exc}") from exc
        else:
            where = str(path)
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise DictionaryError(where, None, f"cannot read codebook: {exc}") from exc
        return cls(_parse(text, where), path=where)

    def __getitem__(self, code: str) -> CameoCode:
        try:
            return self._codes[code]
        except (KeyError, TypeError):
            pass
        hint = ""
        if isinstance(code, str) and code.isdigit() and "0" + code in self._codes:
            hint = f" (did you mean {'0' + code!r}? codes keep their leading zero)"
        raise KeyError(f"unknown CAMEO event code {code!r}{hint}")

    def get(self, code: str) -> CameoCode | None:
        try:
            return self._codes.get(code)
        except TypeError:
            return None

    def __contains__(self, code: object) -> bool:
        try:
            return code in self._codes
        except TypeError:
            return False

    def __iter__(self) -> Iterator[CameoCode]:
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)

    def __repr__(self) -> str:
        return f"Codebook({len(self)} codes from {self.path or '<memory>'})"

    def roots(self) -> list[CameoCode]:
        """The two-digit root codes, "01" to "20"."""
        return [c for c in self._codes.values() if len(c.code) == 2]

    def under(self, root: str) -> list[CameoCode]:
        """Every code whose root is ``root`` (the root itself included), in code order."""
        return [c for c in self._codes.values() if c.root == root]


def _parse(text: str, where: str) -> list[CameoCode]:
    codes: list[CameoCode] = []
    first_line: dict[str, int] = {}
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells) != COLUMNS:
                raise DictionaryError(
                    where, lineno, f"expected header {' '.join(COLUMNS)!r} (tab-separated)"
                )
            header_seen = True
            continue
        if len(cells) != len(COLUMNS):
            raise DictionaryError(
                where,
                lineno,
                f"expected {len(COLUMNS)} tab-separated columns, found {len(cells)}",
            )
        entry = _parse_row([c.strip() for c in cells], where, lineno)
        if entry.code in first_line:
            raise DictionaryError(
                where,
                lineno,
                f"duplicate code {entry.code!r} (first on line {first_line[entry.code]})",
            )
        first_line[entry.code] = lineno
        codes.append(entry)
    if not header_seen:
        raise DictionaryError(where, None, "no header line: the file is empty")
    return codes


def _parse_row(cells: list[str], where: str, lineno: int) -> CameoCode:
    code, name, goldstein_s, quad_s, penta_s, plover_event, plover_mode = cells

    def fail(message: str) -> DictionaryError:
        return DictionaryError(where, lineno, message)

    if not _CODE_RE.match(code):
        raise fail(f"bad CAMEO code {code!r}: expected 2-4 digits starting with a root 01-20")
    root = code[:2]
    if not name:
        raise fail(f"code {code}: empty name")
    try:
        goldstein = float(goldstein_s)
    except ValueError:
        raise fail(f"code {code}: goldstein {goldstein_s!r} is not a number") from None
    if not math.isfinite(goldstein) or not -10.0 <= goldstein <= 10.0:
        raise fail(f"code {code}: goldstein {goldstein_s} is outside [-10, 10]")
    classes: list[int] = []
    for column, value, expected in (
        ("quad_class", quad_s, quad_class_of_root(root)),
        ("penta_class", penta_s, penta_class_of_root(root)),
    ):
        try:
            number = int(value)
        except ValueError:
            raise fail(f"code {code}: {column} {value!r} is not an integer") from None
        if number != expected:
            raise fail(
                f"code {code}: {column} {number} is inconsistent with root {root} "
                f"(expected {expected})"
            )
        classes.append(number)
    if plover_event and not _PLOVER_EVENT_RE.match(plover_event):
        raise fail(f"code {code}: plover_event {plover_event!r} is not an upper-case category")
    if plover_mode and not plover_event:
        raise fail(f"code {code}: plover_mode {plover_mode!r} given without a plover_event")
    return CameoCode(
        code=code,
        name=name,
        goldstein=goldstein,
        quad_class=classes[0],
        penta_class=classes[1],
        plover_event=plover_event or None,
        plover_mode=plover_mode or None,
    )
