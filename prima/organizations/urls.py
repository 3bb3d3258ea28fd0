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
    path("personal-data/", privacy_views.record_page, name="privacy-record"),
    path("personal-data/record.csv", privacy_views.record_csv, name="privacy-record-csv"),
]
