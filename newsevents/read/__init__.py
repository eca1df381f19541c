"""Floor 1, read: input files and streams become :class:`~newsevents.model.Article` records.

Every reader yields ``Article | ReadError``; a bad record is a ``ReadError`` and reading goes on.
Whatever the bytes, reading never raises; every file gives at least one result; an Article holds
only text UTF-8 can store (no lone surrogate, no NUL) and text that is language
(``text.not_text_reason``); ``tests/test_read_fuzz.py`` fuzzes all of it (docs/scale.md).

- ``inputs``: walking paths, choosing a reader by suffix, decompression, JSONL, CSV, WARC;
- ``text``: the plain-text article format and the helpers every reader shares;
- ``html``: one HTML page (trafilatura);
- ``language``: language identification.

A new reader: a function ``(handle, origin, options) -> Iterator[ReadResult]`` in its own
module here, registered by suffix in ``inputs`` (docs/architecture.md).
"""

from newsevents.read.inputs import ReadOptions, read_inputs, read_path
from newsevents.read.text import ReadResult, parse_plain_text

__all__ = ["ReadOptions", "ReadResult", "parse_plain_text", "read_inputs", "read_path"]
