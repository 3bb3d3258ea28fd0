"""Staff pages of the portal (mounted at /portal/; log-in required)."""

from django.urls import URLPattern, URLResolver, path

from . import staff

app_name = "portal_staff"

urlpatterns: list[URLPattern | URLResolver] = [
    path("inquiries/", staff.inquiry_list, name="inquiries"),
    path("inquiries/<int:pk>/", staff.inquiry_detail, name="inquiry"),
    path("inquiries/<int:pk>/close/", staff.inquiry_close, name="inquiry-close"),
    path("publications/", staff.publication_list, name="publications"),
    path("publications/prepare/", staff.publication_prepare, name="publication-prepare"),
    path("publications/story/", staff.story_create, name="story-create"),
    path("publications/<int:pk>/", staff.publication_detail, name="publication"),
    path(
        "publications/<int:pk>/<slug:action>/",
        staff.publication_action,
        name="publication-action",
    ),
    path("schedule/", staff.announce, name="announce"),
    path("schedule/<int:pk>/unlist/", staff.unlist, name="unlist"),
    path("profile/<int:office_id>/", staff.profile_edit, name="profile"),
]
