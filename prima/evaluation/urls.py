from django.urls import URLPattern, URLResolver, path

from . import indicators_views

app_name = "evaluation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("indicators/", indicators_views.indicators_page, name="indicators"),
    path("indicators/behind/", indicators_views.behind_page, name="behind"),
    path("indicators/adoption/", indicators_views.adoption_page, name="adoption"),
]
