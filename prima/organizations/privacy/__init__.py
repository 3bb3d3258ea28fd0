"""Personal data under UU No. 27/2022 (Pelindungan Data Pribadi): declarations, the record
of processing, retention, breaches, and data subjects' requests (``subjects``,
``requests``, ``erasure``)."""
