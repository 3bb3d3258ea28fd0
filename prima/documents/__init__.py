"""Press-kit documents (DOCX and PDF) and automatic verification of drafts against the
office's facts (layer: above crisis)."""
