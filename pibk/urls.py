from django.urls import path

from . import views

app_name = "pibk"

urlpatterns = [
    path("pibk/", views.home, name="home"),
    path("pibk/sekolah/<str:code>/", views.school, name="school"),
    path("pibk/sekolah/<str:code>/laporan.pdf", views.report, name="report"),
    path("pibk/sekolah/<str:code>/semak/", views.review, name="review"),
    path("pibk/sekolah/<str:code>/buka/", views.reopen, name="reopen"),
    path("pibk/sekolah/<str:code>/hantar/", views.submit, name="submit"),
    path("pibk/daftar/", views.register, name="register"),
    path("pibk/daftar/templat.csv", views.register_template, name="register_template"),
    path("pibk/murid/", views.pupils, name="pupils"),
    path("pibk/murid/<int:pupil_id>/<str:flag>/", views.pupil_flag, name="pupil_flag"),
    path("pibk/aktiviti/<str:activity_code>/", views.attendance, name="attendance"),
    path("pibk/aktiviti/<str:activity_code>/tarikh/", views.activity_date, name="activity_date"),
    path(
        "pibk/aktiviti/<str:activity_code>/tanda/<int:family_id>/",
        views.attendance_tick,
        name="attendance_tick",
    ),
    path("pibk/sukarelawan/", views.volunteers, name="volunteers"),
    path("pibk/sukarelawan/<int:family_id>/", views.volunteer_tick, name="volunteer_tick"),
    path("pibk/bilangan/", views.counts, name="counts"),
    path("pibk/sasaran/", views.targets, name="targets"),
    path("pibk/pemantauan/", views.officer_home, name="officer_home"),
    path("pibk/pemantauan/<str:level>/<str:code>/", views.dashboard, name="dashboard"),
    path("pibk/pemantauan/<str:level>/<str:code>/sekolah/", views.schools, name="schools"),
]
