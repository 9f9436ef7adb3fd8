from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("sejarah/sekolah/<str:code>/", views.school_history, name="school_history"),
]
