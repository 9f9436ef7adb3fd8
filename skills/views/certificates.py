"""Skills certification: certificates views (see skills/urls.py)."""

urlpatterns = []
