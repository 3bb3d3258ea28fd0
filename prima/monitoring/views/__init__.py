"""Pages of media monitoring: the media-analysis dashboard, the mention stream and its CSV
export, mention and issue pages, imports, sources, clippings and watch-lists.

Views are thin: reading goes through :mod:`.queries` and :mod:`.analytics`, every change
through :mod:`.services` or :mod:`.issues` (which check the policy again and write the
audit trail). Each view checks the policy itself first; objects of offices a person may
not see are 404 for them.
"""

from __future__ import annotations

from .common import PAGE_SIZE
from .dashboard import DashboardPeriod, build_dashboard, dashboard, resolve_period
from .imports import (
    PENDING_KEY,
    import_action,
    import_detail,
    import_file,
    import_list,
    import_mapping,
    import_progress,
    preset_delete,
)
from .issues import (
    issue_close,
    issue_detail,
    issue_list,
    issue_merge,
    issue_rename,
    issue_split,
)
from .mentions import (
    mention_bulk_correct,
    mention_correct,
    mention_detail,
    mention_export,
    mention_list,
    stream_filters,
)
from .model import sentiment_model, sentiment_model_version
from .sources import clipping_create, source_action, source_detail, source_import_urls, source_list
from .watchlists import watchlist_detail, watchlist_list

__all__ = [
    "sentiment_model",
    "sentiment_model_version",
    "PAGE_SIZE",
    "PENDING_KEY",
    "DashboardPeriod",
    "build_dashboard",
    "clipping_create",
    "dashboard",
    "import_action",
    "import_detail",
    "import_file",
    "import_list",
    "import_mapping",
    "import_progress",
    "issue_close",
    "issue_detail",
    "issue_list",
    "issue_merge",
    "issue_rename",
    "issue_split",
    "mention_bulk_correct",
    "mention_correct",
    "mention_detail",
    "mention_export",
    "mention_list",
    "preset_delete",
    "resolve_period",
    "source_action",
    "source_detail",
    "source_import_urls",
    "source_list",
    "stream_filters",
    "watchlist_detail",
    "watchlist_list",
]
