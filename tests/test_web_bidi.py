"""Bidirectional controls in stored text cannot reorder the web UI around them.

An article whose title, source, URL, sentence, actor names, place and quote hold U+202E RIGHT-
TO-LEFT OVERRIDE and friends (U+2067, U+202B, U+200F, U+061C) is coded by the real pipeline and
stored in a real store, and the pages that show it are opened in Debian's headless Chromium
(tests/test_web_browser.py has the server and the browser session). On every page, every text
node holding such a character must be isolated: in HTML inside a ``<bdi>`` or a ``dir=auto``
element that holds nothing but that stored text, in SVG text and titles (and the page title)
between U+2068 and U+2069. The text after an override must also still be laid out after it:
the date after the source, the arrow after the actor, "both directions" after the names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest

from newsevents import Store
from newsevents.model import Article, Location
from newsevents.web import create_app
from tests.conftest import CHROMIUM
from tests.test_web_browser import Session, serve

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian chromium is not installed at /usr/bin/chromium ('make test' installs it)",
)

RLO = "\u202e"
TITLE = f"Tokyo {RLO}widens sanctions on Moscow"
SOURCE = f"Harbour {RLO}Wire"
URL = f"https://example.org/{RLO}news/sanctions.html"
TEXT = (
    f"Japan imposed new sanctions on Russia on Friday, officials said {RLO}in Tokyo.\n"
    "Russia criticised Japan for the sanctions on Saturday.\n"
)
NAMES = {
    "JPN": f"Japan {RLO}Cabinet",
    "RUS": "Russia \u2067Federation",
    "RUSGOV": "officials \u200fof Russia",
}
PLACE = f"Sap{RLO}poro\u061c"
QUOTE = "sanctions \u202bwill stay"
STORED = [TITLE, SOURCE, URL, TEXT, PLACE, QUOTE, *NAMES.values()]

CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

WALK = r"""(stored) => {
  const CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
  const ISOLATED = /\u2068[^\u2068\u2069]*\u2069/g;
  const bad = [];
  const seen = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    const parent = node.parentElement;
    if (!CONTROLS.test(text) || parent.closest("script, style")) continue;
    seen.push(text);
    if (parent.closest("svg") || parent.tagName === "TITLE") {
      if (CONTROLS.test(text.replace(ISOLATED, ""))) bad.push(["not in U+2068 ... U+2069", text]);
      continue;
    }
    const box = parent.closest("bdi, [dir=auto]");
    const own = box ? box.textContent.replace(/…$/, "") : null;
    if (own === null || !stored.some((s) => s.includes(own))) {
      bad.push([(box || parent).outerHTML.slice(0, 300), text]);
    }
  }
  return { bad, seen };
}"""

AFTER = r"""([selector, before, after]) => {
  /* The box of the first occurrence of ``needle`` in the text under ``root``. */
  function box(root, needle) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.nodeValue.indexOf(needle);
      if (at === -1) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      return range.getBoundingClientRect();
    }
    return null;
  }
  const root = document.querySelector(selector);
  const first = box(root, before);
  const second = box(root, after);
  return { first: first && first.right, second: second && second.left,
           text: root.textContent.replace(/\s+/g, " ").trim() };
}"""


# --- the store ---------------------------------------------------------------------------------


def _renamed(actor: Any) -> Any:
    if actor is None or actor.code not in NAMES:
        return actor
    return dataclasses.replace(actor, name=NAMES[actor.code])


def bidi_article(pipeline: Any) -> Any:
    """The article coded by the pipeline, its actors renamed and its first event placed in a
    city whose names hold bidirectional controls (as a user's dictionary or gazetteer could)."""
    article = Article(
        id="bidi-1",
        text=TEXT,
        title=TITLE,
        source=SOURCE,
        published=dt.date(2016, 12, 3),
        url=URL,
    )
    (coded,) = list(pipeline.pipe([article]))
    place = Location(PLACE, "JPN", 43.06, 141.35, feature="city")
    events = tuple(
        dataclasses.replace(
            e,
            source=_renamed(e.source),
            target=_renamed(e.target),
            location=place if n == 0 else e.location,
        )
        for n, e in enumerate(coded.events)
    )
    quotes = tuple(
        dataclasses.replace(q, text=QUOTE, speaker=_renamed(q.speaker)) for q in coded.quotes
    )
    return dataclasses.replace(coded, events=events, quotes=quotes)


@pytest.fixture(scope="module")
def bidi_url(pipeline, tmp_path_factory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("web-bidi") / "bidi.duckdb"
    coded = bidi_article(pipeline)
    assert len(coded.events) >= 2 and coded.quotes
    with Store(path) as store:
        store.write([coded])
    app = create_app(path)
    with serve(app) as url:
        yield url
    app.state.store.close()


@pytest.fixture
def session(browser, bidi_url) -> Iterator[Session]:
    session = Session(browser, bidi_url)
    yield session
    session.context.close()


def assert_isolated(page: Any, *expected: str) -> None:
    """Every text node with a bidirectional control is isolated; the ``expected`` stored
    texts are on the page (so the walk has something to check)."""
    found = page.evaluate(WALK, STORED)
    assert found["bad"] == [], page.url
    shown = "".join(found["seen"])
    for text in expected:
        assert text in shown or CONTROLS.sub("", text) in CONTROLS.sub("", shown), (page.url, text)


def assert_after(page: Any, selector: str, before: str, after: str) -> str:
    """``after`` is laid out to the right of ``before`` in ``selector``; its text content."""
    found = page.evaluate(AFTER, [selector, before, after])
    assert found["first"] is not None and found["second"] is not None, found
    assert found["second"] >= found["first"] - 0.5, (selector, found)
    return found["text"]


# --- the pages -----------------------------------------------------------------------------------


def test_the_event_page_isolates_every_stored_text(session):
    event = session.api("/api/events", sort="date")["events"][0]
    page = session.open(f"/events/{event['id']}")
    assert_isolated(page, TITLE, SOURCE, URL, NAMES["JPN"], NAMES["RUS"], QUOTE)
    meta = assert_after(page, ".article .meta", "Wire", "2016-12-03")
    assert meta == f"{SOURCE} · 2016-12-03 · {URL} · all events of this article"
    who = " ".join(page.text_content(".who-did-what").split())
    assert who.startswith(f"{NAMES['JPN']} JPN — {event['trigger']} → {NAMES['RUS']} RUS")
    assert page.inner_text("#article-title") == TITLE
    assert page.inner_text("#article-text") == TEXT
    session.assert_clean()


def test_lists_and_tables_isolate_every_stored_text(session):
    pages = {
        "/": [NAMES["JPN"]],
        "/events": [PLACE, TEXT.splitlines()[0]],
        "/network": [NAMES["JPN"], NAMES["RUS"]],
        "/events?article=bidi-1": [PLACE],
    }
    for path, expected in pages.items():
        page = session.open(path)
        page.wait_for_load_state("load")
        assert_isolated(page, *expected)
    session.assert_clean()


def test_the_dyad_page_and_its_chart_tooltip(session):
    page = session.open("/dyad/JPN/RUS", ready="#timeline")
    assert_isolated(page, NAMES["JPN"], NAMES["RUS"])
    small = assert_after(page, "h1 small", "Cabinet", "both directions")
    assert small == f"{NAMES['JPN']} and {NAMES['RUS']}, both directions"
    page.hover("#timeline rect.hit >> nth=0")
    tip = page.locator("#timeline .tooltip")
    assert tip.locator("bdi").all_inner_texts() == ["JPN", "RUS", "RUS", "JPN"]
    assert "JPN → RUS: " in tip.inner_text()
    assert_isolated(page)
    session.assert_clean()


def test_the_actor_page_and_its_network(session):
    page = session.open("/actor/JPN", ready="#network")
    assert_isolated(page, NAMES["JPN"], NAMES["RUS"])
    titles = page.locator("#network circle.node title").all_text_contents()
    assert f"\u2068RUS\u2069 \u2068{NAMES['RUS']}\u2069: 2 events" in titles
    session.assert_clean()


def test_the_map_and_its_tooltip(session):
    page = session.open("/map", ready="#map")
    assert_isolated(page, PLACE)
    page.hover("#map circle.marker >> nth=0")
    head = page.locator("#map .tooltip b")
    assert head.locator("bdi").all_text_contents() == [PLACE, "JPN"]
    assert head.text_content() == f"{PLACE} (JPN)"
    assert_isolated(page, PLACE)
    session.assert_clean()
