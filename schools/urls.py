from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("mydesktop/", views.mydesktop, name="mydesktop"),
    path("sekolah/", views.school_list_view, name="list"),
    path("sekolah/<str:code>/", views.school_detail, name="detail"),
]
