from django.urls import URLPattern, URLResolver, path

from .verification import views as verification

app_name = "documents"

urlpatterns: list[URLPattern | URLResolver] = [
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
