"""Stage 1, read: turn input files and streams into :class:`Article` records.

Every reader yields ``Article`` or ``ReadError`` values. A bad record becomes a ``ReadError`` naming
the input, the position and the reason; the other records are still read. Every file gives at
least one result: one that yields nothing (empty, only a header, no HTML page, a broken link) is
an error saying so.

Formats are chosen by file suffix (docs/scale.md): ``.txt`` (one article), ``.jsonl``/``.ndjson``
(one object a line), ``.csv``/``.tsv`` (a header row, then one article a row), ``.html``/``.htm``
(one page, extracted with trafilatura), ``.warc`` (its HTML response records), each also
compressed: ``.gz``, ``.bz2``, ``.xz``, ``.zst``. Files are streamed: one record at a time.
"""

from __future__ import annotations

import bz2
import csv
import datetime as dt
import errno
import gzip
import io
import json
import lzma
import os
import re
import sys
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from newsevents.errors import InputError, OptionError
from newsevents.model import ReadError
from newsevents.read.html import article_from_html
from newsevents.read.language import (  # noqa: F401  (re-exported)
    check_language,
    detect_language,
    filter_language,
)
from newsevents.read.text import (  # noqa: F401  (re-exported)
    MAX_RECORD_BYTES,
    MAX_TEXT_CHARS,
    MAX_YEAR,
    MIN_YEAR,
    ReadResult,
    _too_long,
    clean_body,
    decode_bytes,
    invalid_character,
    make_article,
    normalise_text,
    parse_plain_text,
    parse_published,
    split_origin,
    strip_debris,
    text_hash,
)

Reader = Callable[[IO[bytes], str, "ReadOptions"], Iterator[ReadResult]]

COMPRESSIONS = (".gz", ".bz2", ".xz", ".zst", ".zstd")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


# --- options --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    """Which JSONL keys or CSV columns hold each article field. ``published`` lists candidates
    in order of preference; the first non-empty one is used."""

    id: str = "id"
    title: str = "title"
    text: str = "text"
    published: tuple[str, ...] = ("published", "date")
    source: str = "source"
    url: str = "url"

    @classmethod
    def from_pairs(cls, pairs: Iterable[str]) -> Columns:
        """``["text=body", "published=pubdate,date"]`` -> Columns (``published`` takes a
        comma-separated list). Raises :class:`OptionError` on a bad pair."""
        changes: dict[str, Any] = {}
        for pair in pairs:
            name, sep, column = (part.strip() for part in pair.partition("="))
            if not sep or not column or name not in cls.__dataclass_fields__:
                names = ", ".join(cls.__dataclass_fields__)
                raise OptionError(
                    f"bad column {pair!r}: expected FIELD=NAME with FIELD one of {names}"
                )
            if name == "published":
                changes[name] = tuple(c.strip() for c in column.split(",") if c.strip())
            else:
                changes[name] = column
        return replace(cls(), **changes)


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read. Every field has a default; the CLI maps flags onto these."""

    columns: Columns = Columns()
    debris: tuple[str, ...] = field(default=(), repr=False)
    """Scrape debris removed from texts (``data/debris.txt``)."""
    language: str | None = "en"
    """Articles not confidently in this language are skipped with a ``language`` error
    (``read.language``); None codes every article whatever its language."""
    delimiter: str | None = None
    """The CSV delimiter; None: a tab for ``.tsv``, else a comma."""
    bytes_read: BytesRead | None = field(default=None, compare=False, repr=False)
    """A counter the readers move as they read files, for a progress display."""


class BytesRead:
    """How much of the input files has been read: the size of every file read to its end plus
    the position in the file being read (compressed bytes for a compressed file), up to
    :func:`input_bytes`. The readers move it; another thread may read ``done`` at any time."""

    def __init__(self) -> None:
        self.done = 0
        self._finished = 0

    def at(self, position: int) -> None:
        """The reader is at byte ``position`` of the current file."""
        self.done = self._finished + position

    def finish(self, path: Path) -> None:
        """The reader is done with ``path``."""
        self._finished += _size(path)
        self.done = self._finished


def input_bytes(paths: Iterable[str | Path]) -> int | None:
    """The total size of the files :func:`read_inputs` reads from ``paths``, or None when one
    of them is ``-`` (standard input, of unknown size)."""
    total = 0
    for raw in paths:
        if str(raw) == "-":
            return None
        path = Path(raw)
        files = _walk(path)[0] if path.is_dir() else [path]
        total += sum(_size(f) for f in files if file_format(f) is not None)
    return total


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# --- walking inputs ---------------------------------------------------------------------------


def read_inputs(
    paths: Iterable[str | Path],
    stdin: IO[str] | None = None,
    debris: tuple[str, ...] = (),
    options: ReadOptions | None = None,
) -> Iterator[ReadResult]:
    """Read every path: files by suffix, directories recursively (sorted), ``-`` as JSONL from
    ``stdin``. Articles not confidently in ``options.language`` become errors. A path
    that does not exist raises :class:`InputError` at once, before anything is read."""
    paths = list(paths)
    _require_paths(paths)
    options = options or ReadOptions(debris=debris)
    records = _read_paths(paths, stdin, options)
    return filter_language(records, options.language) if options.language else records


def _require_paths(paths: list[str | Path]) -> None:
    for raw in paths:
        if str(raw) != "-" and not Path(raw).exists():
            raise InputError(raw, None, _missing_reason(Path(raw)))


def _missing_reason(path: Path, exc: OSError | None = None) -> str:
    """Why a path cannot be opened: a broken symbolic link, a link loop, or the OS's reason."""
    if path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        if _loops(path):
            return f"symbolic link loop ({path_name(path)} -> {target})"
        return f"broken symbolic link: its target {target!r} does not exist"
    if exc is None:
        return "no such file or directory"
    return f"cannot read file: {exc.strerror or exc}"


def _loops(path: Path) -> bool:
    try:
        path.stat()
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def path_name(path: str | Path) -> str:
    """A path as text that UTF-8 can hold: bytes of a file name that are not UTF-8 become
    ``\\xNN`` escapes (the records' ``origin`` and the errors' ``input``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _walk(path: Path) -> tuple[list[Path], list[ReadError]]:
    """The files under a directory with a supported suffix, recursively, in sorted order, and
    an error for each entry that cannot be walked or read. Links to directories are followed;
    a directory reached twice (a second link, a link loop) is read once. A broken link with a
    supported suffix is listed: reading it gives its error."""
    files: list[Path] = []
    problems: list[ReadError] = []
    seen = {os.path.realpath(path)}

    def unreadable(exc: OSError) -> None:
        where = path_name(exc.filename or path)
        problems.append(ReadError(where, None, "read", f"cannot read directory: {exc.strerror}"))

    for root, dirs, names in os.walk(path, onerror=unreadable, followlinks=True):
        dirs[:] = _unseen(Path(root), dirs, seen)
        for name in names:
            entry = Path(root, name)
            if file_format(entry) is None:
                continue
            if _readable(entry):
                files.append(entry)
            else:
                problems.append(_special(entry))
    return sorted(files), problems


def _unseen(root: Path, names: list[str], seen: set[str]) -> list[str]:
    """The subdirectories of ``root`` not walked yet (by their real path), noted as seen."""
    fresh = []
    for name in sorted(names):
        real = os.path.realpath(root / name)
        if real not in seen:
            seen.add(real)
            fresh.append(name)
    return fresh


def _readable(entry: Path) -> bool:
    """A regular file, or a link that leads nowhere (read_path names what is wrong with it);
    not a named pipe, socket or device, which could block or never end."""
    return entry.is_file() or (entry.is_symlink() and not entry.exists())


def _special(entry: Path) -> ReadError:
    reason = "not a regular file (a pipe, socket or device)"
    return ReadError(path_name(entry), None, "read", reason)


def _read_paths(
    paths: Iterable[str | Path], stdin: IO[str] | None, options: ReadOptions
) -> Iterator[ReadResult]:
    for raw in paths:
        if str(raw) == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from read_jsonl(stream, "<stdin>", options=options)
            continue
        path = Path(raw)
        if path.is_dir():
            files, problems = _walk(path)
            yield from problems
            for child in files:
                yield from read_path(child, options)
        elif not path.exists():
            yield ReadError(path_name(path), None, "read", _missing_reason(path))
        else:
            yield from read_path(path, options)


def file_format(path: Path) -> tuple[str, str | None] | None:
    """``(format suffix, compression suffix or None)`` for a supported file, else None:
    ``a.jsonl.gz`` -> ``(".jsonl", ".gz")``."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    compression = suffixes.pop() if suffixes and suffixes[-1] in COMPRESSIONS else None
    if not suffixes or suffixes[-1] not in _FORMATS:
        return None
    return suffixes[-1], compression


def reader_for(path: Path) -> Reader | None:
    """The reader for a file, chosen by suffix, or None when the format is not supported."""
    found = file_format(path)
    return _FORMATS[found[0]] if found else None


def read_path(path: Path, options: ReadOptions | None = None) -> Iterator[ReadResult]:
    """Read one file: at least one record or error. A stream that breaks off (a truncated or
    corrupt compressed file) ends with an error naming the last record read; the records
    before it are kept."""
    options = options or ReadOptions()
    found = file_format(path)
    if found is None:
        suffix = "".join(path.suffixes[-2:]) or path.name
        yield ReadError(path_name(path), None, "read", f"unsupported file type {suffix!r}")
        return
    try:
        if not (yield from _read_file(path, found, options)):
            yield ReadError(path_name(path), None, "read", _no_records(path))
    finally:
        if options.bytes_read is not None:
            options.bytes_read.finish(path)


def _no_records(path: Path) -> str:
    if _size(path) == 0:
        return "empty file: no records"
    return "no records: the file holds no data, or only blank lines"


def _read_file(
    path: Path, found: tuple[str, str | None], options: ReadOptions
) -> Generator[ReadResult, None, int]:
    """The records of one supported file; returns how many there were."""
    name, (fmt, compression), counter = path_name(path), found, options.bytes_read
    try:
        raw = path.open("rb")
    except OSError as exc:
        yield ReadError(name, None, "read", _missing_reason(path, exc))
        return 1
    count, last = 0, None
    try:
        with raw, _open(raw, fmt, compression) as handle:
            for result in _FORMATS[fmt](handle, name, options):
                count += 1
                last = record_position(result) or last
                if counter is not None:
                    counter.at(raw.tell())
                yield result
    except _stream_errors() as exc:
        yield ReadError(name, last, "read", _broken_stream_reason(exc, last))
        return count + 1
    return count


def _open(raw: IO[bytes], fmt: str, compression: str | None) -> IO[bytes]:
    """The decompressed stream of an open file (the file itself when it is not compressed)."""
    if compression is None or (fmt == ".warc" and compression == ".gz" and not _whole_gzip(raw)):
        return raw  # warcio reads record-by-record gzip itself
    stream = _decompressed(raw, compression)
    return _LoudEnd(stream) if fmt == ".warc" else stream  # type: ignore[return-value]


def _decompressed(raw: IO[bytes], compression: str) -> IO[bytes]:
    if compression == ".gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression == ".bz2":
        return bz2.BZ2File(raw, "rb")
    if compression == ".xz":
        return lzma.LZMAFile(raw, "rb")
    return io.BufferedReader(_ZstdStream(raw))


class _StreamCut(OSError):
    """A compressed WARC file that ends too soon (an EOFError warcio would take for its end)."""


class _LoudEnd:
    """A WARC file's decompressed stream as warcio reads it. warcio takes an EOFError for the
    end of the file, so a truncated ``.warc.bz2`` would end quietly; here it is a
    :class:`_StreamCut`, which ends the file with an error."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except EOFError as exc:
            raise _StreamCut(str(exc)) from exc

    def readline(self, size: int = -1) -> bytes:
        try:
            return self._stream.readline(size)
        except EOFError as exc:
            raise _StreamCut(str(exc)) from exc

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def seekable(self) -> bool:
        return self._stream.seekable()

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> _LoudEnd:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _whole_gzip(raw: IO[bytes]) -> bool:
    """Whether a ``.warc.gz`` is gzipped as a whole (one member holding several records), not
    record by record as warcio reads it: told by a second record start in the first member
    (a WARC file starts with a small warcinfo record) within its first 64 KB."""
    head = raw.read(1 << 16)
    raw.seek(0)
    try:
        text = zlib.decompressobj(31).decompress(head)
    except zlib.error:
        return False
    return b"\r\n\r\nWARC/1." in text


def _stream_errors() -> tuple[type[BaseException], ...]:
    import zstandard
    from warcio.exceptions import ArchiveLoadFailed

    return (OSError, EOFError, lzma.LZMAError, zlib.error, zstandard.ZstdError, ArchiveLoadFailed)


def _broken_stream_reason(exc: BaseException, last: int | None) -> str:
    where = f"after record {last}" if last else "before the first record"
    kind = "truncated" if isinstance(exc, EOFError | _StreamCut) else "unreadable"
    detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return f"the file is {kind} {where}; the rest was not read ({detail})"


class _ZstdStream(io.RawIOBase):
    """A zstd-compressed file, one frame after another. Unlike zstandard's own stream reader,
    a file that ends inside a frame raises EOFError, as gzip, bz2 and xz do."""

    def __init__(self, raw: IO[bytes]) -> None:
        import zstandard

        self._raw = raw
        self._decompressor = zstandard.ZstdDecompressor()
        self._frame: Any = None
        self._buffer = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while self._pos >= len(self._buffer):
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._frame is not None and not self._frame.eof:
                    raise EOFError("zstd data ended inside a frame")
                return 0
            self._buffer, self._pos = self._decompress(chunk), 0
        size = min(len(target), len(self._buffer) - self._pos)
        target[:size] = self._buffer[self._pos : self._pos + size]
        self._pos += size
        return size

    def _decompress(self, chunk: bytes) -> bytes:
        out = []
        while chunk:
            if self._frame is None or self._frame.eof:
                self._frame = self._decompressor.decompressobj()
            out.append(self._frame.decompress(chunk))
            chunk = self._frame.unused_data if self._frame.eof else b""
        return b"".join(out)

    def close(self) -> None:
        self._raw.close()
        super().close()


def record_position(result: ReadResult) -> int | None:
    """The record number (line, row or WARC record) a result came from, when known."""
    if isinstance(result, ReadError):
        return result.position
    return split_origin(result.origin or "")[1]


# --- plain text -------------------------------------------------------------------------------


def _read_text(handle: IO[bytes], origin: str, options: ReadOptions) -> Iterator[ReadResult]:
    """A ``.txt`` file holds one article: title line, optional dateline, body."""
    data = handle.read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        yield ReadError(origin, None, "read", _too_large(None))
        return
    decoded = decode_bytes(data, origin)
    if isinstance(decoded, ReadError):
        yield decoded
        return
    text, warnings = decoded
    yield parse_plain_text(text, origin=origin, debris=options.debris, warnings=warnings)


def read_text_file(path: Path, debris: tuple[str, ...] = ()) -> Iterator[ReadResult]:
    """Read one ``.txt`` article file."""
    return read_path(path, ReadOptions(debris=debris, language=None))


def _too_large(size: int | None) -> str:
    amount = f"{size:,} bytes" if size is not None else f"more than {MAX_RECORD_BYTES:,} bytes"
    return f"record is {amount}; the limit is {MAX_RECORD_BYTES:,}"


# --- JSONL ------------------------------------------------------------------------------------


def _read_jsonl_stream(
    handle: IO[bytes], origin: str, options: ReadOptions
) -> Iterator[ReadResult]:
    for number, raw in _bounded_lines(handle):
        if isinstance(raw, int):
            yield ReadError(origin, number, "read", _too_large(raw))
            continue
        if not raw.strip():
            continue
        decoded = decode_bytes(raw, origin, number)
        if isinstance(decoded, ReadError):
            yield decoded
            continue
        yield _article_from_json_line(decoded[0], origin, number, options, decoded[1])


def read_jsonl_file(path: Path, debris: tuple[str, ...] = ()) -> Iterator[ReadResult]:
    """Read one JSONL file."""
    return read_path(path, ReadOptions(debris=debris, language=None))


def read_jsonl(
    stream: IO[str],
    origin: str,
    debris: tuple[str, ...] = (),
    options: ReadOptions | None = None,
) -> Iterator[ReadResult]:
    """Read JSONL from a text stream (standard input): one article object per line. A stream
    with an underlying byte buffer is read as bytes, so bad encodings are per-line errors."""
    options = options or ReadOptions(debris=debris)
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        yield from _read_jsonl_stream(buffer, origin, options)
        return
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield _article_from_json_line(line, origin, number, options)


def _bounded_lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes | int]]:
    """Numbered lines; a line longer than MAX_RECORD_BYTES is skipped unread and given as its
    size, so memory stays bounded whatever the input."""
    number = 0
    while line := handle.readline(MAX_RECORD_BYTES + 1):
        number += 1
        if len(line) <= MAX_RECORD_BYTES or line.endswith(b"\n"):
            yield number, line
            continue
        size = len(line)
        while line and not line.endswith(b"\n"):
            line = handle.readline(1 << 20)
            size += len(line)
        yield number, size


def _article_from_json_line(
    line: str,
    origin: str,
    number: int,
    options: ReadOptions,
    warnings: tuple[str, ...] = (),
) -> ReadResult:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return ReadError(origin, number, "read", f"invalid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return ReadError(origin, number, "read", "invalid JSON: nested too deeply")
    if not isinstance(record, dict):
        return ReadError(origin, number, "read", "a JSON line must be an object")
    return article_from_mapping(
        record, f"{origin}:{number}", options.debris, warnings, options.columns
    )


def article_from_mapping(
    record: Mapping[str, Any],
    origin: str,
    debris: tuple[str, ...] = (),
    warnings: tuple[str, ...] = (),
    columns: Columns | None = None,
) -> ReadResult:
    """Build an article from a JSON-like record; only the text field is required."""
    columns = columns or Columns()
    where = split_origin(origin)
    text = record.get(columns.text)
    if not isinstance(text, str):
        kind = "missing" if text is None else f"a {type(text).__name__}, not a string"
        return ReadError(where[0], where[1], "read", f"field {columns.text!r} is {kind}")
    if len(text) > 2 * MAX_TEXT_CHARS:
        return _too_long(where[0], where[1], len(text))
    problem = _mapping_problem(record, columns)
    if problem:
        return ReadError(where[0], where[1], "read", problem)
    fields: dict[str, str | None] = {}
    for name in ("id", "title", "source", "url"):
        value = record.get(getattr(columns, name))
        fields[name] = None if value is None or value == "" else str(value)
    date_value = next(
        (record[k] for k in columns.published if record.get(k) not in (None, "")), None
    )
    published, date_warnings = parse_published(date_value)
    body, body_warnings = clean_body(text, debris)
    return make_article(
        body,
        title=fields["title"],
        source=fields["source"],
        published=published,
        url=fields["url"],
        article_id=fields["id"],
        origin=origin,
        warnings=warnings + date_warnings + body_warnings,
    )


def _mapping_problem(record: Mapping[str, Any], columns: Columns) -> str | None:
    """Why a record cannot be an article: a field of the wrong type, or a string field with a
    character UTF-8 cannot hold (a lone surrogate) or a NUL, named with its key."""
    for name in ("id", "title", "source", "url"):
        key = getattr(columns, name)
        value = record.get(key)
        if value is not None and (not isinstance(value, str | int) or isinstance(value, bool)):
            return f"field {key!r} must be a string"
    keys = (columns.text, columns.id, columns.title, columns.source, columns.url)
    for key in keys + columns.published:
        value = record.get(key)
        problem = invalid_character(value) if isinstance(value, str) else None
        if problem:
            return f"field {key!r} {problem}"
    return None


# --- CSV --------------------------------------------------------------------------------------


def _read_csv(handle: IO[bytes], origin: str, options: ReadOptions) -> Iterator[ReadResult]:
    """A header row naming the columns, then one article a row (RFC 4180 quoting)."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))
    delimiter = options.delimiter or ("\t" if ".tsv" in Path(origin).suffixes else ",")
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        yield ReadError(origin, None, "read", "empty CSV file: no header row")
        return
    except csv.Error as exc:
        yield ReadError(origin, 1, "read", f"unreadable CSV header: {exc}")
        return
    if options.columns.text not in header:
        shown = ", ".join(repr(h) for h in header[:12])
        yield ReadError(
            origin, 1, "read", f"no {options.columns.text!r} column in the header ({shown})"
        )
        return
    empty = True
    for result in _csv_rows(reader, header, origin, options):
        empty = False
        yield result
    if empty:
        yield ReadError(origin, None, "read", "no records: the CSV file has only its header row")


def _csv_rows(
    reader: Any, header: list[str], origin: str, options: ReadOptions
) -> Iterator[ReadResult]:
    while True:
        number = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ReadError(origin, number, "read", f"bad CSV row: {exc}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            reason = f"the row has {len(row)} fields; the header has {len(header)}"
            yield ReadError(origin, number, "read", reason)
            continue
        decoded = _decode_row(row, origin, number)
        if isinstance(decoded, ReadError):
            yield decoded
            continue
        cells, warnings = decoded
        text_column = options.columns.text
        record = {
            name: value if value != "" or name == text_column else None
            for name, value in zip(header, cells, strict=True)
        }
        yield article_from_mapping(
            record, f"{origin}:{number}", options.debris, warnings, options.columns
        )


def _decode_row(
    row: list[str], origin: str, number: int
) -> tuple[list[str], tuple[str, ...]] | ReadError:
    """Cells were decoded as UTF-8 with bad bytes kept aside; re-decode such a row as
    Windows-1252, with a warning, and refuse binary data."""
    if any("\x00" in cell for cell in row):
        return ReadError(origin, number, "read", "binary data (NUL bytes), not text")
    try:
        for cell in row:
            cell.encode("utf-8")
    except UnicodeEncodeError:
        raw = [cell.encode("utf-8", "surrogateescape") for cell in row]
        warning = "not valid UTF-8; decoded as Windows-1252"
        return [b.decode("cp1252", errors="replace") for b in raw], (warning,)
    return row, ()


# --- HTML and WARC ----------------------------------------------------------------------------


def _read_html(handle: IO[bytes], origin: str, options: ReadOptions) -> Iterator[ReadResult]:
    """One HTML page: body, title, date and site through trafilatura and htmldate."""

    data = handle.read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        yield ReadError(origin, None, "read", _too_large(None))
        return
    yield article_from_html(data, origin=origin, debris=options.debris)


def _read_warc(handle: IO[bytes], origin: str, options: ReadOptions) -> Iterator[ReadResult]:
    """The HTML response records of a WARC file, numbered from 1 in file order. A broken record,
    or one cut short by the end of the file (or of its gzip member), is an error; reading goes
    on at the next record that can be found. A file of records none of which is an HTML page
    gives one error saying so."""
    cursor = _WarcCursor()
    while True:
        try:
            yield from _warc_results(handle, origin, options, cursor)
            break
        except _BadRecord as exc:
            cursor.number += not exc.counted  # a record that cannot be parsed: the next one
            cursor.given += 1
            restart = _next_warc_record(handle, cursor.end)
            yield ReadError(origin, cursor.number, "read", _warc_reason(exc, restart))
            if restart is None:
                break
            handle.seek(restart)
            cursor.end = restart
    if cursor.number and not cursor.given:
        reason = f"no HTML page among the file's {cursor.number} WARC record(s)"
        yield ReadError(origin, None, "read", reason)


class _WarcCursor:
    """How far reading a WARC file has come: the records met, the offsets at which the last
    whole one starts and ends, and how many results were given."""

    def __init__(self) -> None:
        self.number = 0
        self.start = 0
        self.end = 0
        self.given = 0


def _warc_results(
    handle: IO[bytes], origin: str, options: ReadOptions, cursor: _WarcCursor
) -> Iterator[ReadResult]:
    """The results of the records from the handle's position on, moving the cursor."""
    from warcio.archiveiterator import ArchiveIterator

    iterator = ArchiveIterator(handle)
    while (record := _next_record(iterator)) is not None:
        cursor.number += 1
        try:
            result = _warc_article(record, origin, cursor.number, options)
            iterator.read_to_end(record)
            _require_whole(record)
            cursor.start = iterator.get_record_offset()
            cursor.end = cursor.start + iterator.get_record_length()
        except (_BadRecord, _StreamCut):
            raise
        except Exception as exc:  # warcio on a malformed record: ChunkedDataException, zlib...
            raise _BadRecord(f"broken WARC record: {_failure(exc)}", counted=True) from exc
        if result is not None:
            cursor.given += 1
            yield result
    _require_end(handle, cursor)


def _next_record(iterator: Any) -> Any:
    """warcio's next record, or None at the end. Whatever warcio raises on a record it cannot
    parse (its ArchiveLoadFailed, or an AttributeError or ValueError from deeper down, as on a
    response without a target URI) becomes a :class:`_BadRecord`."""
    try:
        return next(iterator)
    except StopIteration:
        return None
    except _StreamCut:
        raise
    except Exception as exc:
        raise _BadRecord(f"broken WARC record: {_failure(exc)}", counted=False) from exc


def _failure(exc: Exception) -> str:
    """What warcio said: its own message for what it checks, else the kind of failure."""
    from warcio.exceptions import ArchiveLoadFailed

    if isinstance(exc, ArchiveLoadFailed | OSError | EOFError | zlib.error):
        return _short(exc)
    return f"it cannot be parsed ({type(exc).__name__}: {_short(exc)})"


class _BadRecord(Exception):
    """A WARC record warcio reads without complaint that is not whole; ``counted`` when the
    record was numbered already."""

    def __init__(self, reason: str, counted: bool) -> None:
        super().__init__(reason)
        self.counted = counted


def _require_whole(record: Any) -> None:
    """Raise :class:`_BadRecord` for a record read to its end that has less content than its
    Content-Length (warcio's limited stream has bytes left that never came), or no valid
    Content-Length (warcio reads it as 0, so the content would be taken for the next record)."""
    from warcio.limitreader import LimitReader

    stream = record.raw_stream
    length = record.rec_headers.get_header("Content-Length")
    if record.format == "warc" and not (length or "").strip().isdigit():
        raise _BadRecord("broken WARC record: no valid Content-Length header", counted=True)
    if isinstance(stream, LimitReader) and stream.limit > 0:
        length, read = int(record.length or 0), int(record.length or 0) - stream.limit
        reason = f"its Content-Length is {length:,} bytes, but the file ends after {read:,}"
        raise _BadRecord(f"truncated WARC record: {reason}", counted=True)


def _require_end(handle: IO[bytes], cursor: _WarcCursor) -> None:
    """At the end of a WARC file, make sure that it is the end: raise :class:`_BadRecord` when
    more than blank lines follow the last whole record (warcio takes a file that ends inside a
    record's header for its end), or EOFError when the last gzip member is cut."""
    if not handle.seekable() or isinstance(handle, _LoudEnd):
        return  # a decompressor says itself when its file is cut
    handle.seek(cursor.end)
    if handle.read(1 << 16).strip():
        raise _BadRecord("truncated WARC record: the file ends inside its header", counted=False)
    if cursor.number and not _member_complete(handle, cursor.start, cursor.end):
        raise EOFError("the last gzip member is cut")


def _member_complete(handle: IO[bytes], start: int, end: int) -> bool:
    """Whether the stretch of a file holding the last record is a whole gzip member (or no
    gzip at all)."""
    handle.seek(start)
    data = handle.read(end - start)
    if not data.startswith(b"\x1f\x8b"):
        return True
    decompressor = zlib.decompressobj(31)
    try:
        decompressor.decompress(data)
    except zlib.error:
        return False
    return decompressor.eof


def _warc_reason(exc: BaseException, restart: int | None) -> str:
    text = str(exc)
    tail = "; the rest of the file was not read" if restart is None else ""
    return text + tail if text.startswith("broken") else text


def _warc_article(record: Any, origin: str, number: int, options: ReadOptions) -> ReadResult | None:
    """An article from an HTML response (or resource) record; None for any other record."""

    if record.rec_type == "response":
        http = record.http_headers
        if http is None or not http.get_statuscode().startswith("2"):
            return None
        content_type = http.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    mime, _, params = content_type.partition(";")
    if mime.strip().lower() not in HTML_TYPES:
        return None
    data = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        return ReadError(origin, number, "read", _too_large(None))
    url = record.rec_headers.get_header("WARC-Target-URI")
    page = _decode_declared(data, params)
    result = article_from_html(page, url=url, origin=f"{origin}:{number}", debris=options.debris)
    if isinstance(result, ReadError):
        return replace(result, input=origin, position=number)
    if result.published is None:
        result = replace(result, published=_warc_date(record.rec_headers.get_header("WARC-Date")))
    return result


def _decode_declared(data: bytes, params: str) -> str | bytes:
    """Decode with the charset the HTTP header declares, when it is known and fits."""
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    if not match:
        return data
    try:
        return data.decode(match.group(1))
    except (LookupError, UnicodeDecodeError):
        return data


def _warc_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        date = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return date if MIN_YEAR <= date.year <= MAX_YEAR else None


def _next_warc_record(handle: IO[bytes], offset: int) -> int | None:
    """The offset of the next plausible record start after the broken one that begins at
    ``offset`` (a gzip member in a ``.warc.gz``, a ``WARC/1.x`` line otherwise), or None at
    the end or when the stream cannot seek."""
    if not handle.seekable():
        return None
    offset = max(offset, 0)
    handle.seek(0)
    gzipped = handle.read(2) == b"\x1f\x8b"
    marker = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    skip = 0 if gzipped else 1
    handle.seek(offset)
    offset += 1 if gzipped else _blank_bytes(handle) + 1  # past the broken record's first byte
    handle.seek(offset)
    position, tail = offset, b""
    while chunk := handle.read(1 << 20):
        data = tail + chunk
        found = data.find(marker)
        if found >= 0:
            return position - len(tail) + found + skip
        tail = data[-(len(marker) - 1) :]
        position += len(chunk)
    return None


def _blank_bytes(handle: IO[bytes]) -> int:
    """How many whitespace bytes follow the current position (records end with blank lines)."""
    head = handle.read(64)
    return len(head) - len(head.lstrip())


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = "".join(ch for ch in text if ch.isprintable())
    return (text[:120] + "…") if len(text) > 120 else text or type(exc).__name__


_FORMATS: Mapping[str, Reader] = {
    ".txt": _read_text,
    ".jsonl": _read_jsonl_stream,
    ".ndjson": _read_jsonl_stream,
    ".csv": _read_csv,
    ".tsv": _read_csv,
    ".html": _read_html,
    ".htm": _read_html,
    ".warc": _read_warc,
}
