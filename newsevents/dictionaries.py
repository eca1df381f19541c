"""Loading the data files that hold newsevents' knowledge. Formats: docs/dictionaries.md.

Loaders validate every entry and raise :class:`DictionaryError` naming ``file:line``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from newsevents.errors import DictionaryError

ROLE_CODE = re.compile(r"^[A-Z]{3}$")
ACTOR_CODE = re.compile(r"^(?:[A-Z]{3})+$")
CAMEO_CODE = re.compile(r"^(?:0[1-9]|1\d|20)\d{0,2}$")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (about ten times faster: the verb dictionary loads
in 0.03 s, not 0.6 s), else the pure-Python one. Both keep every node's line for errors."""


def data_path(name: str) -> Path:
    """The path of a data file shipped inside the package."""
    return Path(str(resources.files("newsevents") / "data" / name))


@dataclass(frozen=True)
class TsvRow:
    path: str
    line: int
    cells: dict[str, str]

    def error(self, message: str) -> DictionaryError:
        return DictionaryError(self.path, self.line, message)

    def values(self, column: str) -> tuple[str, ...]:
        """The ``|``-separated values of a cell, stripped, empty ones dropped."""
        return tuple(v.strip() for v in self.cells.get(column, "").split("|") if v.strip())


def read_tsv(path: Path, required: Sequence[str]) -> Iterator[TsvRow]:
    """Rows of a TSV file with a header line; ``#`` comments and blank lines are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(path, None, f"cannot read: {exc}") from exc
    header: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            missing = [c for c in required if c not in header]
            if missing:
                raise DictionaryError(path, number, f"header lacks column(s) {', '.join(missing)}")
            continue
        if len(cells) > len(header):
            raise DictionaryError(
                path, number, f"{len(cells)} cells but the header has {len(header)} columns"
            )
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        for column in required[:1]:
            if not row[column]:
                raise DictionaryError(path, number, f"column {column!r} is empty")
        yield TsvRow(str(path), number, row)


def parse_optional_date(row: TsvRow, column: str) -> dt.date | None:
    value = row.cells.get(column, "")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise row.error(f"{column} {value!r} is not a YYYY-MM-DD date") from exc


def read_yaml_entries(path: Path) -> list[tuple[int, dict[str, object]]]:
    """A YAML file holding a list of mappings, each with the line it starts on."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(path, None, f"cannot read: {exc}") from exc
    loader = YAML_LOADER(text)
    try:
        return _yaml_entries(path, loader)
    finally:
        loader.dispose()


def _yaml_entries(path: Path, loader: yaml.SafeLoader) -> list[tuple[int, dict[str, object]]]:
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _invalid_yaml(path, exc) from exc
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise DictionaryError(path, node.start_mark.line + 1, "expected a list of entries")
    entries = []
    for item in node.value:
        line = item.start_mark.line + 1
        try:
            value = loader.construct_document(item)  # the entry's own value, from its node
        except yaml.YAMLError as exc:
            raise DictionaryError(path, line, f"invalid YAML: {exc}") from exc
        if not isinstance(value, dict):
            raise DictionaryError(path, line, "each entry must be a mapping")
        entries.append((line, value))
    return entries


def compose_yaml(path: Path) -> yaml.Node | None:
    """A YAML file's node tree (every node keeps its line, for errors); None when empty."""
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(path, None, f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise _invalid_yaml(path, exc) from exc


def _invalid_yaml(path: Path, exc: yaml.YAMLError) -> DictionaryError:
    mark = getattr(exc, "problem_mark", None)
    return DictionaryError(path, mark.line + 1 if mark else None, f"invalid YAML: {exc}")


def read_word_lists(path: Path, names: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """A YAML mapping of word lists; a missing list or a bad word is an error at file:line."""
    node = compose_yaml(path)
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else None
        raise DictionaryError(path, line, "expected a mapping of word lists")
    found = {key.value: value for key, value in node.value}
    lists: dict[str, tuple[str, ...]] = {}
    for name in names:
        value = found.get(name)
        if not isinstance(value, yaml.SequenceNode):
            line = value.start_mark.line + 1 if value is not None else None
            raise DictionaryError(path, line, f"{name!r} must be a list of words")
        words = []
        for item in value.value:
            if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
                raise DictionaryError(path, item.start_mark.line + 1, f"bad word in {name!r}")
            words.append(str(item.value).strip().lower())
        lists[name] = tuple(words)
    return lists


def read_yaml_mapping(path: Path) -> dict[str, object]:
    """A YAML file holding one mapping; anything else is an error at file:line."""
    node = compose_yaml(path)
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else None
        raise DictionaryError(path, line, "expected a mapping")
    loader = YAML_LOADER("")
    try:
        value = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _invalid_yaml(path, exc) from exc
    finally:
        loader.dispose()
    return dict(value)


def node_line(node: yaml.Node | None) -> int | None:
    """The 1-based line a YAML node starts on (for file:line errors), None without a node."""
    return node.start_mark.line + 1 if node is not None else None


def word_set(path: Path, node: yaml.Node | None) -> frozenset[str]:
    """A YAML list of words, lower-cased; absent is empty; anything else is an error at its
    line."""
    if node is None:
        return frozenset()
    if not isinstance(node, yaml.SequenceNode) or not all(
        isinstance(n, yaml.ScalarNode) and n.value for n in node.value
    ):
        raise DictionaryError(path, node_line(node), "expected a list of words")
    return frozenset(str(n.value).lower() for n in node.value)
