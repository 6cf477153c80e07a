"""gunicorn settings for `make serve`: access logs without personal tokens.

gunicorn's own loggers (gunicorn.access, gunicorn.error) keep gunicorn's handlers; Django's
LOGGING leaves them alone. Both get the redact filter here, and the atoms are redacted too,
so no format (even one naming other atoms) can print /aar/<token>/ or /join/<code>/.
"""

import importlib
import os
import sys

from django.core.exceptions import ImproperlyConfigured
from gunicorn.glogging import Logger

from peerassist.logging import RedactTokensFilter, redact

# Read the settings once, here in the master: a missing or bad environment variable stops
# gunicorn with one line that names it, instead of a failure in every worker.
try:
    importlib.import_module(os.environ.get("DJANGO_SETTINGS_MODULE", "peerassist.settings"))
except ImproperlyConfigured as error:
    sys.exit(f"peerassist cannot start: {error}")


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactTokensFilter) for f in log.filters):
                log.addFilter(RedactTokensFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "U", "q", "f", "{raw_uri}e", "{path_info}e", "{referer}i"):
            if name in atoms:
                atoms[name] = redact(atoms[name])  # may be None on gunicorn's own errors
        return atoms


logger_class = RedactingLogger
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# gunicorn 25+ opens a control socket, by default in $HOME/.gunicorn/. Nothing here uses
# gunicornc, and several servers (make serve, the benchmark) would share one path.
control_socket_disable = True

# Threaded workers: one write waiting for SQLite's lock (up to SQLITE_BUSY_TIMEOUT, 20 s)
# holds one thread, not a whole worker, so reads go on. The worker timeout stays above
# the busy timeout, so a long wait ends in the "not saved yet" page, never a killed worker.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
