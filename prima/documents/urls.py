from django.urls import URLPattern, URLResolver, path

from .generation import views as generation
from .verification import views as verification

app_name = "documents"

urlpatterns: list[URLPattern | URLResolver] = [
    # Generated documents (prima.documents.generation)
    path("", generation.index, name="index"),
    path("generate/", generation.generate, name="generate"),
    path("<int:pk>/", generation.status, name="status"),
    path("<int:pk>/download/", generation.download, name="download"),
    path("conferences/<int:pk>/", generation.conference_documents, name="conference"),
    path("conferences/<int:pk>/english/<str:kind>/", generation.english_text, name="english"),
    path("cases/<int:pk>/", generation.case_documents, name="case"),
    # Automatic verification of drafts (prima.documents.verification)
    path(
        "verification/versions/<int:pk>/",
        verification.version_findings,
        name="verification-version",
    ),
    path(
        "verification/conferences/<int:pk>/<str:kind>/",
        verification.live_findings,
        name="verification-live",
    ),
]
