from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views
from .views import actions

app_name = "crisis"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.board, name="board"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/log.csv", views.case_log_csv, name="case-log-csv"),
    path("cases/<int:pk>/acknowledge/", actions.acknowledge, name="case-acknowledge"),
    path("cases/<int:pk>/assess/", actions.assess, name="case-assess"),
    path("cases/<int:pk>/override/", actions.override, name="case-override"),
    path("cases/<int:pk>/note/", actions.note, name="case-note"),
    path("cases/<int:pk>/statement/", actions.statement, name="case-statement"),
    path("cases/<int:pk>/action/", actions.action, name="case-action"),
    path("cases/<int:pk>/scope/", actions.scope, name="case-scope"),
    path("cases/<int:pk>/merge/", actions.merge, name="case-merge"),
    path("cases/<int:pk>/close/", actions.close, name="case-close"),
    path("cases/<int:pk>/reopen/", actions.reopen, name="case-reopen"),
    path("cases/<int:pk>/conference/", actions.open_conference, name="case-conference"),
    path(
        "cases/<int:pk>/clarifications/new/",
        views.clarification_create,
        name="clarification-create",
    ),
    path("clarifications/", views.clarification_list, name="clarification-list"),
    path("clarifications/<int:pk>/", views.clarification_page, name="clarification"),
    path(
        "clarifications/<int:pk>/<slug:action>/",
        views.clarification_action,
        name="clarification-action",
    ),
    path("drills/", views.drill_list, name="drill-list"),
    path("drills/<int:pk>/", views.drill_page, name="drill"),
    path("drills/<int:pk>/<slug:action>/", views.drill_action, name="drill-action"),
    path("config/", views.config_page, name="config"),
    path("config/edit/", views.config_edit, name="config-edit"),
    path("config/v<int:version>/", views.config_page, name="config-version"),
]
