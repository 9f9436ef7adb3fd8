from django.urls import path

from . import views

app_name = "api_keys"
urlpatterns = [
    path("pentadbir/kunci-api/", views.key_list, name="list"),
    path("pentadbir/kunci-api/<int:pk>/", views.key_detail, name="detail"),
    path("pentadbir/kunci-api/<int:pk>/batal/", views.key_revoke, name="revoke"),
]
