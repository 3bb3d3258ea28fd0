from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mentions/", views.mention_list, name="mention-list"),
    path("mentions/export.csv", views.mention_export, name="mention-export"),
    path("mentions/sentiment/", views.mention_bulk_correct, name="mention-bulk-correct"),
    path("mentions/<int:pk>/", views.mention_detail, name="mention-detail"),
    path("mentions/<int:pk>/sentiment/", views.mention_correct, name="mention-correct"),
    path("issues/", views.issue_list, name="issue-list"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/rename/", views.issue_rename, name="issue-rename"),
    path("issues/<int:pk>/merge/", views.issue_merge, name="issue-merge"),
    path("issues/<int:pk>/split/", views.issue_split, name="issue-split"),
    path("issues/<int:pk>/status/", views.issue_close, name="issue-status"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<int:pk>/", views.source_detail, name="source-detail"),
    path("sources/<int:pk>/action/", views.source_action, name="source-action"),
    path("sources/<int:pk>/urls/", views.source_import_urls, name="source-import-urls"),
    path("clippings/new/", views.clipping_create, name="clipping-create"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/mapping/<str:token>/", views.import_mapping, name="import-mapping"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/file/", views.import_file, name="import-file"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/action/", views.import_action, name="import-action"),
    path("presets/<int:pk>/delete/", views.preset_delete, name="preset-delete"),
    path("sentiment-model/", views.sentiment_model, name="sentiment-model"),
    path(
        "sentiment-model/<int:pk>/",
        views.sentiment_model_version,
        name="sentiment-model-version",
    ),
    path("watchlists/", views.watchlist_list, name="watchlist-list"),
    path("watchlists/<int:pk>/", views.watchlist_detail, name="watchlist-detail"),
]
