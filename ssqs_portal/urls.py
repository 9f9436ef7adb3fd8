from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("schools.urls")),
    path("", include("core.people.urls")),
]
for app in ("surveys", "monitoring", "pibk", "pasr", "skills", "spmi"):
    if app in settings.INSTALLED_APPS:
        urlpatterns.append(path("", include(f"{app}.urls")))

handler403 = "ssqs_portal.views.error_403"
handler404 = "ssqs_portal.views.error_404"
handler500 = "ssqs_portal.views.error_500"
urlpatterns.append(path("", include("core.audit.urls")))
if "api" in settings.INSTALLED_APPS:
    from api.api import api as read_api

    urlpatterns += [path("api/v1/", read_api.urls), path("", include("api.urls"))]
