from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("ssqs/profil/", views.profile, name="profile"),
    path("ssqs/responden/", views.roster, name="roster"),
    path("ssqs/responden/kata-laluan/", views.respondent_password, name="respondent_password"),
    path("ssqs/responden/slip.pdf", views.slips, name="slips"),
    path("ssqs/sekolah/<str:code>/", views.result, name="result"),
    path("ssqs/sekolah/<str:code>/sijil.pdf", views.certificate, name="certificate"),
    path("ssqs/sekolah/<str:code>/buka-semula/", views.reopen, name="reopen"),
    path("ssqs/sekolah/<str:code>/hantar/", views.submit, name="submit"),
    path("ssqs/pilih/", views.choose_respondent, name="choose_respondent"),
    path("ssqs/tukar/", views.switch_respondent, name="switch_respondent"),
    path("ssqs/domain/", views.domains, name="domains"),
    path("ssqs/domain/<str:code>/", views.domain, name="domain"),
    path("ssqs/borang.pdf", views.respondent_form, name="respondent_form"),
]
