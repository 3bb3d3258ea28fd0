from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .privacy import views as privacy_views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("offices/", views.office_list, name="office-list"),
    path("offices/<int:pk>/", views.office_detail, name="office-detail"),
    path("audit/", views.audit_list, name="audit-list"),
    path(
        "audit/<str:object_type>/<str:object_id>/",
        views.object_history,
        name="audit-object-history",
    ),
    path("privacy/requests/", privacy_views.request_list, name="subjectrequest-list"),
    path("privacy/requests/new/", privacy_views.request_create, name="subjectrequest-create"),
    path("privacy/requests/<int:pk>/", privacy_views.request_detail, name="subjectrequest-detail"),
    path(
        "privacy/requests/<int:pk>/export/<str:fmt>/",
        privacy_views.request_export,
        name="subjectrequest-export",
    ),
    path(
        "privacy/requests/<int:pk>/correct/",
        privacy_views.request_correct,
        name="subjectrequest-correct",
    ),
    path(
        "privacy/requests/<int:pk>/erase/", privacy_views.request_erase, name="subjectrequest-erase"
    ),
    path(
        "privacy/requests/<int:pk>/close/", privacy_views.request_close, name="subjectrequest-close"
    ),
]
