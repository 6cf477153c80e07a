"""Keep personal links out of logs: /aar/<token>/ and /join/<code>/ are credentials."""

import logging
import re

SECRET_PATH = re.compile(r"(/(?:aar|join)/)[^/\s?\"']+")


def redact(text: str) -> str:
    return SECRET_PATH.sub(r"\1[redacted]", text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
