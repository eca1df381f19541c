"""Input formats: HTML, JSONL, CSV, .txt, WARC, their compressed variants, column mappings and
language identification. Every article here is written by us for the tests."""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import io
import json
import lzma
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsevents.errors import OptionError
from newsevents.model import Article, ReadError
from newsevents.read.inputs import (
    Columns,
    ReadOptions,
    file_format,
    read_inputs,
    read_path,
    text_hash,
)
from tests.conftest import CORPUS

TITLE = "Japan protests Russian missile deployment"
PARAGRAPHS = (
    "Japan lodged a formal protest with Russia on Tuesday over new missile systems on the "
    "disputed islands.",
    "The Japanese foreign ministry said the deployment ran counter to the spirit of the talks. "
    "Russian officials rejected the protest.",
)
BODY = "\n".join(PARAGRAPHS)
PUBLISHED = dt.date(2016, 11, 22)

FRENCH = (
    "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les agriculteurs touchés "
    "par la sécheresse. Le ministre a déclaré que les aides seraient versées avant la fin du mois "
    "et que les régions les plus touchées recevraient une attention particulière de l'État."
)
GERMAN = (
    "Die Regierung hat am Dienstag neue Maßnahmen zur Unterstützung der Landwirte beschlossen, "
    "die unter der langen Trockenheit leiden. Der Minister sagte, die Hilfen würden noch vor dem "
    "Ende des Monats ausgezahlt und die am stärksten betroffenen Regionen bevorzugt."
)

COMPRESSORS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}


def html_page(title: str = TITLE, body: str = BODY, date: str | None = "2016-11-22") -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f"<html><head><title>{title}</title>{meta}</head><body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>'
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright 2016 Example Wire. All rights reserved.</footer></body></html>"
    )


def txt_bytes() -> bytes:
    return f"{TITLE}\nExample Wire, November 22, 2016\n{BODY}\n".encode()


def jsonl_bytes() -> bytes:
    record = {"title": TITLE, "text": BODY, "published": "2016-11-22", "source": "Example Wire"}
    return (json.dumps(record) + "\n").encode()


def csv_bytes(delimiter: str = ",") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["title", "text", "date", "source", "url"])
    writer.writerow([TITLE, BODY, "2016-11-22", "Example Wire", "https://example.org/a"])
    return out.getvalue().encode()


def warc_response(
    writer: WARCWriter,
    url: str,
    payload: bytes,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    date: str = "2016-11-22T08:00:00Z",
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(payload),
        length=len(payload),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)


def write_warc(path: Path, gzipped: bool) -> None:
    """warcinfo, a request, two HTML articles (one page without a date of its own), a 404,
    an image and a page in French, in that order."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        request = writer.create_warc_record(
            "https://example.org/a", "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")
        )
        writer.write_record(request)
        warc_response(writer, "https://example.org/a", html_page().encode())
        second = html_page("China rejects tribunal ruling", SECOND_BODY, date=None)
        warc_response(writer, "https://example.org/b", second.encode(), date="2016-07-12T09:30:00Z")
        warc_response(
            writer, "https://example.org/gone", b"<html>gone</html>", status="404 Not Found"
        )
        warc_response(
            writer, "https://example.org/logo.png", b"\x89PNG....", content_type="image/png"
        )
        warc_response(writer, "https://example.org/fr", html_page("Aides", FRENCH).encode())


SECOND_BODY = (
    "China said on Tuesday that it rejected the ruling of the tribunal in The Hague on the South "
    "China Sea.\nThe foreign ministry in Beijing called the decision null and void."
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.txt", txt_bytes()),
        ("a.jsonl", jsonl_bytes()),
        ("a.csv", csv_bytes()),
        ("a.tsv", csv_bytes("\t")),
        ("a.html", html_page().encode()),
    ],
)
def test_each_format_gives_the_same_article(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    (article,) = read_inputs([path])
    assert isinstance(article, Article)
    assert article.text == BODY
    assert article.title == TITLE
    assert article.published == PUBLISHED
    assert article.id == f"a{text_hash(BODY)[:16]}"


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
@pytest.mark.parametrize(
    ("name", "data"),
    [("a.txt", txt_bytes()), ("a.jsonl", jsonl_bytes()), ("a.csv", csv_bytes())],
)
def test_compressed_files_read_like_plain_ones(
    tmp_path: Path, name: str, data: bytes, suffix: str
) -> None:
    plain = tmp_path / name
    plain.write_bytes(data)
    packed = tmp_path / f"packed{Path(name).suffix}{suffix}"
    packed.write_bytes(COMPRESSORS[suffix](data))
    (expected,) = read_inputs([plain])
    (article,) = read_inputs([packed])
    assert isinstance(article, Article) and isinstance(expected, Article)
    assert (article.id, article.text, article.title, article.published) == (
        expected.id,
        expected.text,
        expected.title,
        expected.published,
    )


def test_compressed_html_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(html_page().encode()))
    (article,) = read_inputs([path])
    assert isinstance(article, Article)
    assert (article.text, article.published) == (BODY, PUBLISHED)


def test_file_format_by_suffix() -> None:
    assert file_format(Path("x/a.JSONL.GZ")) == (".jsonl", ".gz")
    assert file_format(Path("a.2016.txt")) == (".txt", None)
    assert file_format(Path("crawl.warc.gz")) == (".warc", ".gz")
    assert file_format(Path("a.pdf")) is None
    assert file_format(Path("a.pdf.gz")) is None


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_html_responses_with_record_date_and_uri(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_warc(path, gzipped)
    results = list(read_inputs([path]))
    assert [type(r).__name__ for r in results] == ["Article", "Article", "ReadError"]
    first, second, french = results
    assert (first.text, first.title, first.url) == (BODY, TITLE, "https://example.org/a")
    assert first.published == PUBLISHED
    assert first.origin == f"{path}:3"
    # The second page has no date of its own: the WARC record date is used.
    assert second.published == dt.date(2016, 7, 12)
    assert second.url == "https://example.org/b"
    assert second.text == SECOND_BODY
    assert (french.input, french.position, french.stage) == (str(path), 7, "language")


@pytest.mark.parametrize("suffix", [".bz2", ".zst"])
def test_warc_compressed_as_a_whole(tmp_path: Path, suffix: str) -> None:
    plain = tmp_path / "crawl.warc"
    write_warc(plain, gzipped=False)
    packed = tmp_path / f"crawl.warc{suffix}"
    packed.write_bytes(COMPRESSORS[suffix](plain.read_bytes()))
    expected = [(type(r).__name__, getattr(r, "id", None)) for r in read_inputs([plain])]
    assert len(expected) == 3
    assert [(type(r).__name__, getattr(r, "id", None)) for r in read_inputs([packed])] == expected


def test_column_names_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    record = {"key": "k-1", "headline": TITLE, "body": BODY, "pubdate": "2016-11-22"}
    path.write_text(json.dumps(record) + "\n")
    columns = Columns.from_pairs(["id=key", "title=headline", "text=body", "published=pubdate"])
    assert columns.published == ("pubdate",)
    (article,) = read_inputs([path], options=ReadOptions(columns=columns))
    assert isinstance(article, Article)
    assert (article.id, article.title, article.text, article.published) == (
        "k-1",
        TITLE,
        BODY,
        PUBLISHED,
    )
    (missing,) = read_inputs([path])
    assert isinstance(missing, ReadError)
    assert (missing.position, missing.reason) == (1, "field 'text' is missing")


def test_csv_column_names_and_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "wire.csv"
    path.write_text(f'story;when\n"{BODY}";2016-11-22\n')
    options = ReadOptions(
        columns=Columns.from_pairs(["text=story", "published=when"]), delimiter=";"
    )
    (article,) = read_inputs([path], options=options)
    assert isinstance(article, Article)
    assert (article.text, article.published, article.origin) == (BODY, PUBLISHED, f"{path}:2")


def test_bad_column_setting_is_an_option_error() -> None:
    with pytest.raises(OptionError, match="expected FIELD=NAME"):
        Columns.from_pairs(["body"])
    with pytest.raises(OptionError, match="expected FIELD=NAME"):
        Columns.from_pairs(["author=by"])


def test_csv_rows_errors_are_per_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    rows = [
        b"id,text,date",
        b"r1,Japan protested to Russia.,2016-11-22",
        b"r2,too,many,fields",
        b"r3,,2016-11-22",
        "r4,Caf\u00e9 owners in Paris met the mayor.,2016-11-22".encode("latin-1"),
        b"r5,China rejected the ruling.,2016-07-12",
    ]
    path.write_bytes(b"\n".join(rows) + b"\n")
    results = list(read_inputs([path]))
    assert [getattr(r, "id", None) or r.reason for r in results] == [
        "r1",
        "the row has 4 fields; the header has 3",
        "empty article: no body text",
        "r4",
        "r5",
    ]
    assert results[1].position == 3
    latin = results[3]
    assert latin.text == "Café owners in Paris met the mayor."
    assert latin.warnings == ("not valid UTF-8; decoded as Windows-1252",)


def test_csv_without_the_text_column(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    path.write_text("headline,body\nA,B.\n")
    (error,) = read_inputs([path])
    assert isinstance(error, ReadError)
    assert error.reason == "no 'text' column in the header ('headline', 'body')"


def test_foreign_articles_are_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        {"id": "fr", "text": FRENCH},
        {"id": "en", "text": BODY + " " + SECOND_BODY},
        {"id": "de", "text": GERMAN},
        {"id": "short", "text": "Le ministre a parlé."},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    results = list(read_inputs([path]))
    kinds = [(type(r).__name__, getattr(r, "stage", None), record_line(r)) for r in results]
    assert kinds == [
        ("ReadError", "language", 1),
        ("Article", None, 2),
        ("ReadError", "language", 3),
        ("Article", None, 4),  # too short to judge: coded (and yields nothing)
    ]
    assert results[0].reason.startswith("the text is in another language (fr, p=")
    assert results[2].reason.startswith("the text is in another language (de, p=")
    everything = list(read_inputs([path], options=ReadOptions(language=None)))
    assert all(isinstance(r, Article) for r in everything)


def record_line(result: Article | ReadError) -> int | None:
    if isinstance(result, ReadError):
        return result.position
    return int((result.origin or "").rpartition(":")[2])


def test_example_corpus_is_english() -> None:
    results = list(read_inputs([CORPUS]))
    assert len(results) == 21
    assert all(isinstance(r, Article) for r in results)


def test_read_path_on_a_directory_entry_and_stdin(tmp_path: Path) -> None:
    stream = io.TextIOWrapper(io.BytesIO(jsonl_bytes() + b"\xff\xfe{bad\n"), encoding="utf-8")
    first, second = read_inputs(["-"], stdin=stream)
    assert isinstance(first, Article) and first.origin == "<stdin>:1"
    assert isinstance(second, ReadError) and second.position == 2
    assert second.reason.startswith("invalid JSON")
    path = tmp_path / "one.html"
    path.write_text(html_page())
    (article,) = read_path(path, ReadOptions())
    assert isinstance(article, Article) and article.text == BODY
