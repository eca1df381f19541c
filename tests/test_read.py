"""Reading articles: the plain-text format, JSONL, directories and bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from newsevents.coding.pipeline import load_debris
from newsevents.errors import InputError
from newsevents.model import Article, ReadError
from newsevents.read.inputs import parse_plain_text, read_inputs, read_jsonl, text_hash

DEBRIS = load_debris()


def test_seed_dateline_title_debris_and_truncation(seed_text: str) -> None:
    article = parse_plain_text(seed_text, "seed.txt", DEBRIS)
    assert isinstance(article, Article)
    assert article.title == (
        "No high expectations for immediate progress on Russia-Japan peace treaty: Russian FM"
    )
    assert article.source == "Xinhua"
    assert article.published == dt.date(2016, 12, 3)
    assert "Adjust font size" not in article.text
    assert article.text.startswith("There should be no high expectations")
    assert article.text.endswith("insisting on the return of all four islands.")
    assert article.warnings == ("truncated text at the end was not coded: 'Endi'",)


def test_inline_dateline_gives_place_and_source() -> None:
    text = "Title here\nMOSCOW, Dec. 3 (Example Wire) -- Russia and Japan held talks on Saturday."
    article = parse_plain_text(text)
    assert isinstance(article, Article)
    assert article.dateline_place == "Moscow"
    assert article.source == "Example Wire"
    assert article.text == "Russia and Japan held talks on Saturday."


def test_same_text_same_id_whatever_the_whitespace() -> None:
    a = parse_plain_text("T\nJapan protested to Russia.")
    b = parse_plain_text("T\n  Japan   protested to Russia.  ")
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.id == b.id == f"a{text_hash('Japan protested to Russia.')[:16]}"


def test_jsonl_bad_lines_are_reported_and_others_read() -> None:
    lines = [
        json.dumps({"id": "x1", "text": "Japan protested to Russia.", "published": "2016-11-22"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": 42}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "China rejected the ruling.", "published": "9999-01-01"}),
    ]
    results = list(read_jsonl(io.StringIO("\n".join(lines) + "\n"), "in.jsonl"))
    assert [type(r).__name__ for r in results] == [
        "Article",
        "ReadError",
        "ReadError",
        "ReadError",
        "ReadError",
        "Article",
    ]
    first, bad_json, missing, wrong_type, not_object, absurd = results
    assert first.id == "x1" and first.published == dt.date(2016, 11, 22)
    assert first.origin == "in.jsonl:1"
    assert (bad_json.input, bad_json.position) == ("in.jsonl", 2)
    assert bad_json.reason.startswith("invalid JSON")
    assert missing.reason == "field 'text' is missing"
    assert wrong_type.reason == "field 'text' is a int, not a string"
    assert not_object.reason == "a JSON line must be an object"
    assert absurd.published is None
    assert absurd.warnings == ("published date '9999-01-01' is outside 1800-2100; ignored",)


def test_directory_walk_and_bad_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.txt").write_text("Title\nJapan protested to Russia.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin1.txt").write_bytes("Title\nThe caf\xe9 talks ended.\n".encode("latin-1"))
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    results = {
        Path(r.origin if isinstance(r, Article) else r.input).name: r
        for r in read_inputs([tmp_path])
    }
    assert set(results) == {"good.txt", "empty.txt", "binary.txt", "latin1.txt"}
    assert isinstance(results["good.txt"], Article)
    assert isinstance(results["empty.txt"], ReadError)
    assert results["empty.txt"].reason == "empty article: no text"
    assert results["binary.txt"].reason == "binary data (NUL bytes), not text"
    latin = results["latin1.txt"]
    assert isinstance(latin, Article) and "café" in latin.text
    assert latin.warnings[0].startswith("not valid UTF-8")


def test_missing_path_raises_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Title\nJapan protested to Russia.\n")
    with pytest.raises(InputError, match="nope.txt: no such file or directory") as caught:
        read_inputs([tmp_path / "ok.txt", tmp_path / "nope.txt"])
    assert caught.value.source.endswith("nope.txt") and caught.value.position is None


def test_huge_article_is_refused() -> None:
    result = parse_plain_text("Title\n" + "word " * 500_000 + ".")
    assert isinstance(result, ReadError)
    assert "the limit is" in result.reason
