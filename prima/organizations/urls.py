from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_views as av
from . import twofactor_views, views
from .privacy import request_views
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
    path("accounts/sessions/", av.my_sessions, name="my-sessions"),
    path("accounts/sessions/<int:pk>/end/", av.my_session_end, name="my-session-end"),
    path("accounts/sessions/end-others/", av.my_sessions_end_others, name="my-sessions-end-others"),
    path("accounts/invitation/<str:token>/", av.invitation_accept, name="invitation-accept"),
    path("accounts/password-reset/", av.PasswordResetView.as_view(), name="password-reset"),
    path(
        "accounts/password-reset/sent/",
        av.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        av.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/reset/done/",
        av.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("people/", av.people_list, name="people-list"),
    path("people/invite/", av.invite, name="people-invite"),
    path(
        "people/invitations/<int:pk>/withdraw/",
        av.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("people/<int:pk>/", av.person_detail, name="person-detail"),
    path("people/<int:pk>/deactivate/", av.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", av.person_reactivate, name="person-reactivate"),
    path(
        "people/<int:pk>/reset-password/",
        av.person_reset_password,
        name="person-reset-password",
    ),
    path("people/<int:pk>/end-sessions/", av.person_end_sessions, name="person-end-sessions"),
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
    path("personal-data/requests/", request_views.request_list, name="subjectrequest-list"),
    path("personal-data/requests/new/", request_views.request_create, name="subjectrequest-create"),
    path(
        "personal-data/requests/<int:pk>/",
        request_views.request_detail,
        name="subjectrequest-detail",
    ),
    path(
        "personal-data/requests/<int:pk>/export/<str:fmt>/",
        request_views.request_export,
        name="subjectrequest-export",
    ),
    path(
        "personal-data/requests/<int:pk>/correct/",
        request_views.request_correct,
        name="subjectrequest-correct",
    ),
    path(
        "personal-data/requests/<int:pk>/erase/",
        request_views.request_erase,
        name="subjectrequest-erase",
    ),
    path(
        "personal-data/requests/<int:pk>/close/",
        request_views.request_close,
        name="subjectrequest-close",
    ),
]
