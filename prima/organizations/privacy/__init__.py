"""Personal data under UU No. 27/2022 (Pelindungan Data Pribadi).

Every model of PRIMA declares what personal data it holds (``declarations``); the record
of processing, retention and the breach record are generated from those declarations.
Data subjects' requests: ``subjects`` (finding a person's data, with each app's
``privacy.py``), ``requests`` (tracking, export, correction), ``erasure``.
This package imports nothing at import time: models import ``declarations`` from here.
"""
