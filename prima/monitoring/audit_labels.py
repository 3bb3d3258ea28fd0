"""Labels of the audit actions of media monitoring."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "import.start": _("Import started"),
    "import.cancel": _("Import cancelled"),
    "import.retry": _("Import retried"),
    "import.save_preset": _("Column-mapping template saved"),
    "import.delete_preset": _("Column-mapping template deleted"),
    "issue.rename": _("Issue renamed"),
    "issue.merge": _("Issues merged"),
    "issue.split": _("Issue split"),
    "issue.close": _("Issue closed"),
    "issue.reopen": _("Issue reopened"),
    "mention.correct_sentiment": _("Sentiment corrected"),
    "mention.create_clipping": _("Clipping added"),
    "source.create": _("Media source added"),
    "source.update": _("Media source changed"),
    "source.delete": _("Media source removed"),
    "source.push_key": _("Push key issued for a media source"),
    "watchlist.create": _("Watch-list created"),
    "watchlist.update": _("Watch-list changed"),
    "watchlist.delete": _("Watch-list deleted"),
}
