import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssqs_portal.settings")
application = get_wsgi_application()

# Load the URLconf (every view module, the read API's schemas) now, then move what
# start-up made out of the garbage collector's sight: the full collections that a
# request's allocations trigger no longer walk the whole framework each time. On the
# read API's 100-school pages this took p95 from 77 ms to 33 ms (bench/RESULTS.md).
from django.urls import get_resolver  # noqa: E402

_ = get_resolver().url_patterns
gc.freeze()
