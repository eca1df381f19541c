"""Floor 4, run: coding a stream of records into a store at scale (docs/scale.md).

- ``ingest``: :func:`ingest`, serial or on a process pool;
- ``batches``: the batch loop all engines share (read, code, write one transaction a batch);
- ``distributed``: the process pool and the Dask engine.
"""
