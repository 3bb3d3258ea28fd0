from django.urls import URLPattern, URLResolver, path

from . import indicators_views, postevent_views

app_name = "evaluation"

urlpatterns: list[URLPattern | URLResolver] = [
    # Post-event evaluation of one conference (postevent_views)
    path("conferences/<int:pk>/", postevent_views.report, name="postevent-report"),
    path("conferences/<int:pk>/proposals/", postevent_views.proposals, name="postevent-proposals"),
    path(
        "conferences/<int:pk>/proposals/<int:proposal_pk>/decide/",
        postevent_views.decide,
        name="postevent-decide",
    ),
    path(
        "conferences/<int:pk>/proposals/refresh/",
        postevent_views.refresh,
        name="postevent-refresh",
    ),
    path("conferences/<int:pk>/query/", postevent_views.edit_query, name="postevent-query"),
    path("conferences/<int:pk>/document/", postevent_views.document, name="postevent-document"),
    path("indicators/", indicators_views.indicators_page, name="indicators"),
    path("indicators/report/", indicators_views.report_document, name="indicators-report"),
    path("indicators/behind/", indicators_views.behind_page, name="behind"),
    path("indicators/adoption/", indicators_views.adoption_page, name="adoption"),
]
