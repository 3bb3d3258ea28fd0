"""Media monitoring: sources, mentions, analysis, watch-lists, issues and dashboards.

Backend map (pages live in ``views.py``/``templates``; pure helpers in ``parsers/``,
``nlp/``, ``fetch.py``, ``query.py``, ``dedup.py``):

- ``models`` — Source, Mention, WatchList(+Match), Issue(+Volume), rollups (HourlyVolume,
  DailyActor, TermStat), DupBand, IngestJob(+Rejection), ColumnMappingPreset,
  SentimentCorrection, SchedulerState;
- ``sources/<kind>/transport.py`` — how each kind of source gets its bytes;
- ``ingest/`` — the pipeline, one job per module: jobs (claiming, running), pipeline
  (chunks), rows (preparation), helper (the analysis process), store (writes),
  checkpoint;
- ``rollups`` — the counters kept as mentions are stored or change sentiment (the
  only module that changes them);
- ``analysis`` — the seam to language detection and the sentiment model;
- ``neardup`` — MinHash/LSH near-duplicate groups backed by the database;
- ``issues`` — clustering over a sliding window, volume series, staff actions;
- ``search`` — full-text search (FTS5 / PostgreSQL) over normalised text;
- ``queries`` — the filtered, policy-scoped mention list and CSV export;
- ``analytics`` — dashboard figures from the rollups;
- ``services`` — audited staff actions (sources, watch-lists, imports, corrections…);
- ``tasks`` — background work and the self-scheduling tick;
- ``retention`` — deleting expired personal data; ``api`` — the push and read API;
- ``demo`` — a month of synthetic coverage with a growing storm.
"""
