"""Document generation: one content model (:mod:`.content`) built per kind of document
(:mod:`.builders`, :mod:`.reports`) and rendered to DOCX and PDF (:mod:`.docx`,
:mod:`.pdf`); :mod:`.services` is the one entry point."""
