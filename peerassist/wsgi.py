import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerassist.settings")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # A missing or bad environment variable: one line that names it, not a traceback in
    # every worker. Exit status 4 is gunicorn's "App failed to load": it stops the server
    # instead of starting worker after worker.
    print(f"peerassist cannot start: {error}", file=sys.stderr, flush=True)
    sys.exit(4)
