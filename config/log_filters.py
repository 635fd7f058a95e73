"""Logging filters for the server log."""

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """Drop the traceback of a 4xx response (an ordinary PermissionDenied, Http404 or
    BadRequest): Django logs those with ``exc_info``, which buried the few real errors
    under thousands of traceback lines. A 5xx keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
