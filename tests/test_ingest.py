"""Ingesting at scale: bad input recorded per record, the pre-pass, worker processes, progress and
the summary. Articles and filler paragraphs are our own words."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from warcio.warcwriter import WARCWriter

from newsevents import Store, ingest, read_inputs
from newsevents.cli.ingest import ProgressDisplay, Report, status_line, summary_text
from newsevents.cli.main import cli
from newsevents.codebook import Codebook
from newsevents.coding.events import VerbDictionary
from newsevents.coding.pipeline import Pipeline, Settings
from newsevents.dictionaries import YAML_LOADER, data_path, read_yaml_entries
from newsevents.errors import DictionaryError
from newsevents.model import Article, CodedArticle, Span
from newsevents.output import coded_article_dict
from newsevents.read.inputs import MAX_RECORD_BYTES
from newsevents.run.ingest import IngestSummary
from tests.conftest import CORPUS
from tests.test_formats import html_page, warc_response
from tests.test_resume import table_contents

GOOD = (
    "Japan lodged a protest with Russia over the new missile systems.",
    "China rejected the ruling of the tribunal in The Hague.",
    "The United States imposed sanctions on North Korea after the nuclear test.",
)
FILLER = (
    "Heavy rain is expected across the coastal lowlands on Thursday. Forecasters expect the "
    "rain to ease by the weekend.",
    "Shares in technology companies rose for a third day. The benchmark index closed up "
    "1.2 percent.",
)


HUGE_LINE = b'{"id": "j6", "text": "' + b"x" * (50 * 2**20) + b'"}'
"""A single 50 MB line."""


def write_bad_inputs(folder: Path) -> None:
    """A corpus of bad input mixed with good records."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-empty.txt").write_bytes(b"")
    (folder / "b-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    latin = "Caf\u00e9 talks\nPeru protested to Chile over the fishing quotas.\n"
    (folder / "c-latin1.txt").write_bytes(latin.encode("latin-1"))
    lines = [
        json.dumps({"id": "j1", "text": GOOD[0], "published": "2016-11-22"}).encode(),
        b'{"id": "j2", "text": "Bolivia protested to Chile over the river \xe9 plan."}',
        json.dumps({"id": "j3", "text": 42}).encode(),
        json.dumps({"id": "j4", "text": GOOD[1], "title": ["not", "a", "string"]}).encode(),
        json.dumps({"id": "j5", "text": GOOD[1], "published": 20160712}).encode(),
        HUGE_LINE,
        json.dumps({"id": "j7", "text": GOOD[2], "published": "2016-09-10"}).encode(),
    ]
    (folder / "d-mixed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    packed = gzip.compress(
        b"".join(
            json.dumps({"id": f"g{n}", "text": f"{FILLER[n % 2]} Item {n} was noted."}).encode()
            + b"\n"
            for n in range(400)
        )
    )
    (folder / "e-truncated.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    (folder / "f-nobody.html").write_text("<html><head><title>Only a title</title></head></html>")
    (folder / "g-broken.warc").write_bytes(broken_warc())


def broken_warc() -> bytes:
    """Three HTML responses; the second record's header line is destroyed."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    bodies = [
        "Japan lodged a formal protest with Russia on Tuesday.\nThe talks went on.",
        "Peru protested to Chile on Monday.\nThe talks went on.",
        "China rejected the ruling on Tuesday.\nThe talks went on.",
    ]
    offsets = []
    for n, body in enumerate(bodies):
        offsets.append(out.tell())
        page = html_page(f"Story {n}", body)
        warc_response(writer, f"https://example.org/{n}", page.encode())
    data = bytearray(out.getvalue())
    data[offsets[1] : offsets[1] + 8] = b"XXXX/1.0"
    return bytes(data)


def test_bad_input_is_recorded_per_record_and_nothing_is_lost_or_doubled(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    write_bad_inputs(folder)
    db = tmp_path / "bad.duckdb"
    with Store(db) as store:
        first = ingest(read_inputs([folder], debris=pipeline.debris), store, pipeline, 16)
        errors = sorted(
            (Path(e["input"]).name, e["position"], e["stage"], e["reason"]) for e in store.errors()
        )
        articles = sorted(r[0] for r in store.con.execute("SELECT id FROM articles").fetchall())
    # The truncated gzip yields its first records before the break.
    truncated = [e for e in errors if e[0] == "e-truncated.jsonl.gz"]
    assert len(truncated) == 1
    cut = truncated[0][1]
    assert cut is not None and 100 < cut < 400
    assert truncated[0][3] == (
        f"the file is truncated after record {cut}; the rest was not read "
        "(Compressed file ended before the end-of-stream marker was reached)"
    )
    assert [e for e in errors if e[0] != "e-truncated.jsonl.gz"] == [
        ("a-empty.txt", None, "read", "empty article: no text"),
        ("b-binary.txt", None, "read", "binary data (NUL bytes), not text"),
        ("d-mixed.jsonl", 3, "read", "field 'text' is a int, not a string"),
        ("d-mixed.jsonl", 4, "read", "field 'title' must be a string"),
        (
            "d-mixed.jsonl",
            6,
            "read",
            f"record is {len(HUGE_LINE) + 1:,} bytes; the limit is {MAX_RECORD_BYTES:,}",
        ),
        ("f-nobody.html", None, "read", "no article text found in the HTML page"),
        (
            "g-broken.warc",
            2,
            "read",
            "broken WARC record: Invalid WARC record, first line: XXXX/1.0",
        ),
    ]
    good = {"j1", "j2", "j5", "j7"}
    assert good <= set(articles)
    assert sum(1 for a in articles if a.startswith("g")) == cut
    assert len(articles) == len(good) + cut + 1 + 2  # + the Latin-1 .txt + two WARC pages
    assert first.errors == len(errors) == 8
    assert first.coded == len(articles)
    # Again: nothing new, nothing doubled.
    before = table_contents(db)
    with Store(db) as store:
        second = ingest(read_inputs([folder], debris=pipeline.debris), store, pipeline, 16)
    assert (second.coded, second.skipped, second.errors) == (0, len(articles), 8)
    assert table_contents(db) == before


def test_decoding_fallbacks_are_warnings_not_losses(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    write_bad_inputs(folder)
    results = {
        (Path(r.origin or "").name): r
        for r in read_inputs([folder / "c-latin1.txt", folder / "d-mixed.jsonl"])
        if isinstance(r, Article)
    }
    latin = results["c-latin1.txt"]
    assert latin.title == "Café talks"
    assert latin.warnings == ("not valid UTF-8 (byte 3); decoded as Windows-1252",)
    river = results["d-mixed.jsonl:2"]
    assert river.text == "Bolivia protested to Chile over the river é plan."
    assert river.warnings[0].startswith("not valid UTF-8")
    wrong_date = results["d-mixed.jsonl:5"]
    assert wrong_date.published is None
    assert wrong_date.warnings == ("published date 20160712 is not a string; ignored",)


def test_errors_command_lists_and_counts(pipeline: Pipeline, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    write_bad_inputs(folder)
    db = tmp_path / "bad.duckdb"
    with Store(db) as store:
        ingest(read_inputs([folder], debris=pipeline.debris), store, pipeline, 16)
    runner = CliRunner()
    listing = runner.invoke(cli, ["errors", "--db", str(db)])
    assert listing.exit_code == 0, listing.output
    assert listing.output.rstrip().endswith("8 read error(s)")
    assert "broken WARC record: Invalid WARC record, first line: XXXX/1.0" in listing.output
    as_json = runner.invoke(
        cli, ["errors", "--db", str(db), "--format", "jsonl", "--stage", "read"]
    )
    rows = [json.loads(line) for line in as_json.output.splitlines()]
    assert len(rows) == 8 and set(rows[0]) == {"input", "position", "stage", "reason"}
    none = runner.invoke(cli, ["errors", "--db", str(db), "--stage", "language"])
    assert none.output == "(no errors)\n"


def mixed_articles(path: Path) -> None:
    """The example corpus with filler paragraphs put in: runs of skipped sentences between
    parsed ones, the hard case for the pre-pass."""
    articles = [r for r in read_inputs([CORPUS]) if isinstance(r, Article)]
    with path.open("w") as out:
        for n, article in enumerate(articles):
            paragraphs = article.text.split("\n")
            paragraphs[1:1] = [FILLER[n % 2]]
            paragraphs.append(FILLER[(n + 1) % 2])
            record = {
                "id": f"m{n}",
                "title": article.title,
                "text": "\n".join(paragraphs),
                "published": article.published.isoformat() if article.published else None,
            }
            out.write(json.dumps(record) + "\n")


@pytest.fixture(scope="module")
def prepass_pipeline() -> Pipeline:
    return Pipeline(Settings(prepass=True))


def test_prepass_codes_exactly_the_same(prepass_pipeline: Pipeline, tmp_path: Path) -> None:
    """The recall cost of the pre-pass, measured: the example corpus alone and with filler
    paragraphs gives the same events (ids, offsets, everything) and quotes as a full parse
    (the same pipeline object codes both ways)."""
    mixed = tmp_path / "mixed.jsonl"
    mixed_articles(mixed)
    records = [r for r in read_inputs([CORPUS, mixed]) if isinstance(r, Article)]
    docs = prepass_pipeline.parser.pipe(r.text for r in records)
    pairs = zip(records, docs, strict=True)
    full = [coded_article_dict(prepass_pipeline.code(r, d)) for r, d in pairs]
    fast = [coded_article_dict(c) for c in prepass_pipeline.pipe(records)]
    assert len(full) == 42 and sum(len(c["events"]) for c in full) > 200
    assert fast == full
    texts = [r.text for r in records]
    plans = prepass_pipeline.prepass.plans([prepass_pipeline.parser.nlp.make_doc(t) for t in texts])
    # Nearly every sentence has a word that may be a trigger: little is skipped (docs/scale.md).
    skipped = [sum(p.skipped for p in plans[:21]), sum(p.skipped for p in plans[21:])]
    assert 0 < skipped[0] <= skipped[1] < 21 * 4


def test_prepass_keeps_what_coreference_needs(
    pipeline: Pipeline, prepass_pipeline: Pipeline
) -> None:
    text = (
        "Test\nTest Wire, May 6, 2016\n"
        "Russian Foreign Minister Sergey Lavrov arrived in Tokyo on Friday. "
        "The weather was mild and the streets were quiet. "
        "Lavrov was calm. "
        "He met Japanese Foreign Minister Fumio Kishida."
    )
    doc = prepass_pipeline.parser.nlp.make_doc(text.split("\n", 2)[2])
    (plan,) = prepass_pipeline.prepass.plans([doc])
    # "Lavrov" alone is kept: the actors stage knows him from the first sentence.
    assert plan.keep == (True, False, True, True)
    coded = prepass_pipeline(text)
    assert coded_article_dict(coded) == coded_article_dict(pipeline(text))
    assert {(e.source.code, e.target.code) for e in coded.events if e.code == "040"} == {
        ("RUSGOV", "JPNGOV")
    }


def test_workers_store_the_same_as_one_process(pipeline: Pipeline, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_bad_inputs(folder)
    (folder / "corpus.jsonl").write_text(
        "".join(
            json.dumps({"id": f"c{n}", "text": text, "published": "2016-11-22"}) + "\n"
            for n, text in enumerate(GOOD * 4)
        )
    )
    serial_db, parallel_db = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    with Store(serial_db) as store:
        serial = ingest(read_inputs([folder]), store, pipeline, batch_size=8)
    seen: list[IngestSummary] = []
    with Store(parallel_db) as store:
        parallel = ingest(
            read_inputs([folder]),
            store,
            Settings(),
            batch_size=8,
            progress=seen.append,
            workers=2,
        )
    assert parallel == serial
    assert table_contents(parallel_db) == table_contents(serial_db)
    assert len(seen) >= 3 and seen[-1] == parallel
    assert [s.read for s in seen] == sorted(s.read for s in seen)


def test_cli_ingest_summary_and_columns(tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text(
        "key,body,pubdate\n" + "".join(f'k{n},"{text}",2016-11-22\n' for n, text in enumerate(GOOD))
    )
    db = tmp_path / "cli.duckdb"
    args = ["ingest", str(feed), "--db", str(db), "--column", "id=key", "--column", "text=body"]
    args += ["--column", "published=pubdate", "--workers", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()
    assert first.startswith("read 3 record(s): 3 article(s) coded, 0 already stored, ")
    assert first.endswith(f"0 error(s) -> {db}")
    assert second.startswith("3 sentence(s) in ")
    with Store(db, read_only=True) as store:
        ids = sorted(r[0] for r in store.con.execute("SELECT id FROM articles").fetchall())
    assert ids == ["k0", "k1", "k2"]
    bad = CliRunner().invoke(cli, ["ingest", str(feed), "--db", str(db), "--column", "body"])
    assert bad.exit_code == 1
    assert "bad column 'body': expected FIELD=NAME" in bad.output


def test_progress_and_summary_lines() -> None:
    summary = IngestSummary(read=120, coded=100, skipped=10, events=450, errors=10, sentences=900)
    assert status_line(Report(summary, None, 10.0), False, 12.0, 80) == (
        "0:00:12  110 articles  10.0 articles/s  90 sentences/s  10 errors  450 events"
    )
    assert summary_text(summary, 10.0, "e.duckdb") == (
        "read 120 record(s): 100 article(s) coded, 10 already stored, 450 event(s), "
        "10 error(s) -> e.duckdb\n900 sentence(s) in 10.0 s: 10.0 articles/s, 90 sentences/s"
    )
    stream = io.StringIO()
    with ProgressDisplay(enabled=False, stream=stream) as display:
        display(summary)
    assert stream.getvalue() == ""


def test_dask_options_need_the_dask_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["ingest", str(CORPUS), "--db", str(tmp_path / "x.duckdb"), "--scheduler", "tcp://h:1"]
    )
    assert result.exit_code == 2
    assert "--scheduler and --shards need --engine dask" in result.output
    assert not (tmp_path / "x.duckdb").exists()


# --- speed work that must not change output (docs/scale.md "Measured") ------------------------


def _spans(coded: CodedArticle) -> list[Span]:
    actors = [e.source for e in coded.events] + [e.target for e in coded.events]
    actors += [q.speaker for q in coded.quotes]
    spans = [e.trigger for e in coded.events] + [q.span for q in coded.quotes if q.span]
    for actor in (a for a in actors if a is not None):
        spans += [actor.span] + ([actor.resolved_from] if actor.resolved_from else [])
    return spans


def test_spans_are_the_article_text_at_their_offsets(pipeline: Pipeline) -> None:
    """Span texts are cut from the tokens between the offsets, not from the whole text of the
    article (rebuilt on every call): they must still be exactly ``text[start:end]``."""
    records = [r for r in read_inputs([CORPUS]) if isinstance(r, Article)]
    spans = [(r.text, s) for r, c in zip(records, pipeline.pipe(records), strict=True)
             for s in _spans(c)]  # fmt: skip
    assert len(spans) > 500
    assert [s.text for _, s in spans] == [text[s.start : s.end] for text, s in spans]


def test_office_holder_lookup_is_the_scan_it_replaces(pipeline: Pipeline) -> None:
    """Office holders are found by the last word of the name: the same holder as scanning every
    entry for a name equal to, or ending with, the words asked for."""
    dictionary = pipeline.actors.dictionary

    def scan(name: str, day: dt.date | None) -> object:
        wanted = name.lower().split()
        matching = [
            p
            for p in dictionary.people
            if (w := p.name.lower().split()) == wanted or w[-len(wanted) :] == wanted
        ]
        if day is not None:
            return next((p for p in matching if p.holds_office_on(day)), None)
        return max(matching, key=lambda p: p.end or dt.date.max, default=None)

    names = {p.name for p in dictionary.people}
    names |= {n.split()[-1] for n in names} | {n.upper() for n in names} | {"", "Nobody Atall"}
    days = [None, dt.date(2001, 6, 1), dt.date(2016, 12, 15), dt.date(2024, 3, 1)]
    asked = [(n, d) for n in sorted(names) for d in days]
    assert len(names) > 50
    assert [dictionary.office_holder(n, d) for n, d in asked] == [scan(n, d) for n, d in asked]
    assert dictionary.office_holder("putin", dt.date(2016, 12, 15)).code == "RUSGOV"


def test_fast_yaml_loader_keeps_values_and_lines(tmp_path: Path) -> None:
    """The verb dictionary is read with libyaml when PyYAML has it: the same entries as the
    pure-Python loader, and a bad entry still names its file and line."""
    verbs = data_path("verbs.yaml")
    node = yaml.compose(verbs.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    slow = [
        (item.start_mark.line + 1, yaml.SafeLoader(yaml.serialize(item)).get_single_data())
        for item in node.value
    ]
    assert read_yaml_entries(verbs) == slow
    if yaml.__with_libyaml__:
        assert YAML_LOADER is yaml.CSafeLoader
    path = tmp_path / "mine.yaml"
    good = '- id: a\n  code: "042"\n  lemma: visit\n'
    path.write_text(good + "- just words\n" + good)
    with pytest.raises(DictionaryError, match=r"mine\.yaml:4: each entry must be a mapping"):
        read_yaml_entries(path)
    path.write_text(good + '- id: b\n  code: "043"\n  lemma: [host\n')
    with pytest.raises(DictionaryError, match=r"mine\.yaml:7: invalid YAML"):
        read_yaml_entries(path)
    path.write_text(good + '- id: b\n  code: "0999"\n  lemma: host\n')
    with pytest.raises(DictionaryError, match=r"mine\.yaml:4: code '0999' is not in the codebook"):
        VerbDictionary.load([path], Codebook.load())
