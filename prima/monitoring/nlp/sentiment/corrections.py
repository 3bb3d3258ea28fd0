"""Staff corrections fed into sentiment training.

PRIMA staff can correct the label of a mention; ``train-sentiment`` passes those
corrections to :func:`prima.monitoring.nlp.sentiment.train` as extra examples.
"""

from __future__ import annotations


def load_corrections() -> list[tuple[str, str, str]]:
    """Return staff corrections as ``(text, label, lang)`` tuples.

    Read from :class:`prima.monitoring.models.SentimentCorrection` (which keeps its own
    copy of the text, so corrections outlive the mentions' retention period). When the
    same text was corrected more than once, the latest label wins. Languages other than
    ``id``/``en`` are trained as Indonesian. One query; needs a configured database.
    """
    from prima.monitoring.models import SentimentCorrection

    latest: dict[str, tuple[str, str, str]] = {}
    rows = SentimentCorrection.objects.order_by("created_at", "pk").values_list(
        "text", "label", "language"
    )
    for text, label, lang in rows.iterator(chunk_size=2000):
        text = text.strip()
        if text:
            latest[text] = (text, label, lang if lang in ("id", "en") else "id")
    return list(latest.values())
