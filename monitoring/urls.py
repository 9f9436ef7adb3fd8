from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("pemantauan/", views.home, name="home"),
    path("pemantauan/keputusan/", views.results, name="results"),
    path("pemantauan/semak/<str:code>/", views.review, name="review"),
    path("pemantauan/sijil/<int:pk>/", views.certificates, name="certificates"),
    path(
        "pemantauan/sijil/<int:pk>/muat-turun/",
        views.certificates_download,
        name="certificates_download",
    ),
    path(
        "pemantauan/sijil/<int:pk>/mula-semula/",
        views.certificates_restart,
        name="certificates_restart",
    ),
    path(
        "pemantauan/district/<str:code>/sijil/",
        views.certificates_request,
        name="certificates_request",
    ),
    path("pemantauan/<str:level>/<str:code>/", views.dashboard, name="dashboard"),
    path("pemantauan/<str:level>/<str:code>/peta.json", views.map_points, name="map"),
    path("pemantauan/<str:level>/<str:code>/sekolah/", views.schools, name="schools"),
    path("pemantauan/<str:level>/<str:code>/laporan.pdf", views.report, name="report"),
    path(
        "pemantauan/<str:level>/<str:code>/responden.csv",
        views.respondents_export,
        name="respondents_export",
    ),
    path("pemantauan/<str:level>/<str:code>/peringatan/", views.remind, name="remind"),
]
