"""Public pages (mounted at /public/; no log-in)."""

from django.urls import URLPattern, URLResolver, path

from . import public

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.index, name="index"),
    path("track/", public.track, name="track"),
    path("<slug:office>/", public.office_home, name="office"),
    path("<slug:office>/services/<slug:code>/", public.service_page, name="service"),
    path("<slug:office>/services/<slug:code>/poster.pdf", public.service_poster, name="poster"),
    path("<slug:office>/news/", public.newsroom, name="newsroom"),
    path("<slug:office>/news/<slug:slug>/", public.publication_page, name="publication"),
    path(
        "<slug:office>/news/<slug:slug>/files/<int:pk>/",
        public.publication_file,
        name="publication-file",
    ),
    path(
        "<slug:office>/clarifications/<int:pk>/",
        public.clarification_page,
        name="clarification",
    ),
    path("<slug:office>/feed.atom", public.feed, name="feed"),
    path("<slug:office>/search/", public.search_page, name="search"),
    path("<slug:office>/ask/", public.ask, name="ask"),
]
