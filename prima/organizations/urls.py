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
    path("personal-data/breaches/", privacy_views.breach_list, name="breach-list"),
    path("personal-data/breaches/new/", privacy_views.breach_create, name="breach-create"),
    path("personal-data/breaches/<int:pk>/", privacy_views.breach_detail, name="breach-detail"),
    path("personal-data/breaches/<int:pk>/edit/", privacy_views.breach_edit, name="breach-edit"),
    path("personal-data/breaches/<int:pk>/act/", privacy_views.breach_act, name="breach-act"),
]
