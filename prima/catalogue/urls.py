from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "catalogue"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.service_list, name="list"),
    path("new/", views.service_create, name="create"),
    path("<int:pk>/", views.service_detail, name="service"),
    path("<int:pk>/draft/", views.draft_start, name="draft-start"),
    path("<int:pk>/versions/<int:vpk>/", views.version_detail, name="version"),
    path("<int:pk>/versions/<int:vpk>/edit/", views.version_edit, name="version-edit"),
    path(
        "<int:pk>/versions/<int:vpk>/<slug:action>/",
        views.version_action,
        name="version-action",
    ),
]
