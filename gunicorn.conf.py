"""gunicorn settings for `make serve`: access logs without personal tokens."""

from gunicorn.glogging import Logger

from peerassist.logging import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "U", "q", "f"):
            if name in atoms:
                atoms[name] = redact(atoms[name])
        return atoms


logger_class = RedactingLogger
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
