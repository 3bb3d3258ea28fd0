from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_views as av
from . import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
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
]
