"""Compare two `newsevents extract --format jsonl` outputs field by field.

    python scripts/compare_outputs.py before.jsonl after.jsonl

Articles are matched by `article.id`, events by their position in the article. Prints how many
articles, events and quotes were compared and every field that differs (at most --show of
them), and exits 1 when anything differs, so a refactoring can prove it changed nothing:

    newsevents extract --format jsonl examples/corpus > before.jsonl   # on the old tree
    newsevents extract --format jsonl examples/corpus > after.jsonl    # on the new tree
    python scripts/compare_outputs.py before.jsonl after.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def read_articles(path: Path) -> dict[str, dict[str, Any]]:
    """The articles of one output by id (a line without an article, such as an error, by line)."""
    articles: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            record = json.loads(line)
            key = (record.get("article") or {}).get("id") or f"line {number}"
            articles[key] = record
    return articles


def differences(before: Any, after: Any, where: str) -> Iterator[str]:
    """Every leaf that differs between two JSON values, as 'path: before != after'."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            yield from differences(before.get(key), after.get(key), f"{where}.{key}")
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (one, other) in enumerate(zip(before, after, strict=True)):
            yield from differences(one, other, f"{where}[{index}]")
    elif before != after:
        yield f"{where}: {json.dumps(before)[:120]} != {json.dumps(after)[:120]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--show", type=int, default=20, help="differences to print (default 20)")
    args = parser.parse_args(argv)
    before, after = read_articles(args.before), read_articles(args.after)
    found = [
        line
        for key in sorted(set(before) | set(after))
        for line in differences(before.get(key), after.get(key), key)
    ]
    events = sum(len(record.get("events", [])) for record in before.values())
    quotes = sum(len(record.get("quotes", [])) for record in before.values())
    print(f"{len(before)} / {len(after)} articles, {events} events, {quotes} quotes compared")
    for line in found[: args.show]:
        print("  " + line)
    print(f"{len(found)} field(s) differ" if found else "identical, field by field")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
