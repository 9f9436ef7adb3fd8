"""Skills certification: training views (see skills/urls.py)."""

urlpatterns = []
