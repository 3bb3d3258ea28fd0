"""The models behind :mod:`prima.monitoring.analysis`, which is the one NLP seam.

- :mod:`.language` — offline language identification (``id``/``en``/``other``) from the
  shipped profile ``data/language_profile.json`` (built by :mod:`.build_language_profile`);
- :mod:`.sentiment` — the sentiment model: numpy-only inference from the shipped artefact
  (``sentiment/artefact/``), training (``prima train-sentiment``) and staff corrections.

Other code calls :mod:`prima.monitoring.analysis` (which loads these once per process and
refuses to label when one cannot load); tests patch that module, not this package.
Everything runs offline from artefacts inside the package.
"""
