from django.contrib.auth import views as auth_views
from django.urls import path

from . import twofactor_views, views
from .privacy import views as privacy_views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", twofactor_views.login_code, name="login-code"),
    path("accounts/login/setup/", twofactor_views.login_setup, name="login-setup"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/reauth/", twofactor_views.reauth_view, name="reauth"),
    path("accounts/two-factor/", twofactor_views.settings_page, name="twofactor"),
    path("accounts/two-factor/setup/", twofactor_views.setup, name="twofactor-setup"),
    path("accounts/two-factor/disable/", twofactor_views.disable, name="twofactor-disable"),
    path(
        "accounts/two-factor/recovery-codes/",
        twofactor_views.regenerate_codes,
        name="twofactor-recovery-codes",
    ),
    path(
        "accounts/two-factor/reset/<int:user_id>/",
        twofactor_views.reset,
        name="twofactor-reset",
    ),
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
