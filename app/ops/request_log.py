"""A request id for every request and structured (JSON) logs that carry it.

The id comes from ``X-Request-ID`` when a trusted proxy sent it (``TRUSTED_PROXIES`` > 0, the
same setting ProxyFix uses; a well-formed value only), else a new one; the response echoes it.
``LOG_FORMAT=json`` (the default outside debug and tests) writes one JSON object per line to
stderr: time, level, logger, message, request_id, and for each request an access line with
method, path, status and duration."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, current_app, g, has_request_context, request

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("app.access")


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def _begin() -> None:
    g.request_started = time.perf_counter()
    given = request.headers.get(HEADER, "")
    trusted = current_app.config.get("TRUSTED_PROXIES", 0) > 0
    g.request_id = given if trusted and _VALID.match(given) else uuid.uuid4().hex


def _finish(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers[HEADER] = request_id
    started = g.get("request_started")
    if started is not None:
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
    return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def json_handler() -> logging.Handler:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    return handler


def init_app(app: Flask) -> None:
    app.before_request(_begin)
    app.after_request(_finish)
    if app.config.get("LOG_FORMAT") == "json" and not (app.debug or app.testing):
        root = logging.getLogger()
        if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
            # The JSON lines replace plain stderr handlers (basicConfig's); any other handler
            # (a log shipper's, a test's capture) is kept.
            kept = [h for h in root.handlers if type(h) is not logging.StreamHandler]
            root.handlers[:] = [*kept, json_handler()]
            root.setLevel(logging.INFO)
        app.logger.handlers.clear()  # propagate to the JSON root handler
