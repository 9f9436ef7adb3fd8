from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("mydesktop/staf/", views.staff, name="staff"),
    path("mydesktop/staf/<int:user_id>/peranan/", views.staff_role, name="staff_role"),
    path("mydesktop/staf/<int:user_id>/kata-laluan/", views.staff_password, name="staff_password"),
]
