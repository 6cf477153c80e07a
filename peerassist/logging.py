"""Keep personal links out of logs: /aar/<token>/, /join/<code>/ and the password-reset
link /accounts/reset/<uid>/<token>/ are credentials."""

import logging
import re

SECRET_PATH = re.compile(r"(/(?:aar|join)/|/accounts/reset/[^/\s?\"']+/)[^/\s?\"']+")


def redact(text):
    """The text with every personal link's secret replaced by ``[redacted]``.

    Anything that is not text (gunicorn passes None for some atoms of its own error
    responses, numbers for others) comes back unchanged: it cannot hold a link.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        return text
    return SECRET_PATH.sub(r"\1[redacted]", text)


class RedactTokensFilter(logging.Filter):
    """Rewrites a record's message, before any handler formats it, without its secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A malformed record: logging would print its arguments raw, so say them here.
            message = f"{record.msg!s} % {record.args!r}"
            record.msg, record.args = message, ()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        # A traceback can quote a path too; format it now (as the handler would) and redact.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
