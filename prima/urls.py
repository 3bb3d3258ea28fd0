from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from prima.api import api
from prima.conferences.views import rsvp
from prima.front import views as front_views
from prima.organizations import twofactor_views

handler400 = "prima.front.views.bad_request"
handler500 = "prima.front.views.server_error"

urlpatterns = [
    path("", front_views.home, name="home"),
    path("healthz", front_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    # The admin's own log-in form would skip the second factor: PRIMA's sign-in instead.
    path("admin/login/", twofactor_views.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("conferences/", include("prima.conferences.urls")),
    # A journalist's answer to an invitation: public, the signed token is the key.
    path("rsvp/<str:token>/", rsvp, name="rsvp"),
    path("monitoring/", include("prima.monitoring.urls")),
    path("catalogue/", include("prima.catalogue.urls")),
    path("crisis/", include("prima.crisis.urls")),
    path("documents/", include("prima.documents.urls")),
    path("public/", include("prima.portal.urls")),
    path("portal/", include("prima.portal.staff_urls")),
    path("evaluation/", include("prima.evaluation.urls")),
    path("", include("prima.organizations.urls")),
]

# Stored files (MEDIA_ROOT) are never served as a folder, not even with DEBUG on: each is
# downloaded through a view that applies the policy (see prima.organizations.files).
