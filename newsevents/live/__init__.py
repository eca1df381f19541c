"""Floor 4, live: following RSS/Atom/RDF feeds and URL lists, politely (docs/watch.md).

- ``feeds``: feed and URL-list parsing, URL normalisation;
- ``fetch``: the polite HTTP client (robots.txt, rate limits, retries, size caps);
- ``watch``: one fetch pass, and the polling loop, coding new articles into a store.
"""
