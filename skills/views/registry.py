"""Skills certification: registry views (see skills/urls.py)."""

urlpatterns = []
