"""Bridge Python `logging` to hclog JSON lines on the plugin's stderr.

go-plugin's host parses each stderr line as JSON and reads `@level`,
`@message` and `@timestamp` with unchecked string assertions (a number there
crashes the host), and parses `@timestamp` with exactly six fractional
digits. So every `@` field is forced to a string here, extras that would
shadow them are renamed, and a dead host (EPIPE on stderr) silently drops logs
rather than killing the plugin: a restarted host may still reattach.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import traceback
from typing import Any

__all__ = ["TRACE", "HclogJSONFormatter", "StderrHandler", "hclog_level", "install"]

TRACE = 5
logging.addLevelName(TRACE, "TRACE")

# Attributes every LogRecord has; anything else came from `extra=`.
_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
) | {"message", "asctime", "taskName"}
_RESERVED = {"@level", "@message", "@timestamp", "@module", "@caller"}


def hclog_level(levelno: int) -> str:
    if levelno < logging.DEBUG:
        return "trace"
    if levelno < logging.INFO:
        return "debug"
    if levelno < logging.WARNING:
        return "info"
    if levelno < logging.ERROR:
        return "warn"
    return "error"


def format_timestamp(when: dt.datetime) -> str:
    """Go's `2006-01-02T15:04:05.000000Z07:00`: six fractional digits, Z for UTC."""
    text = when.isoformat(timespec="microseconds")
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


class HclogJSONFormatter(logging.Formatter):
    """One hclog JSON object per record, never spanning lines."""

    def __init__(self, module_prefix: str | None = None) -> None:
        super().__init__()
        self._prefix = module_prefix

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception as exc:  # a bad %-format must not lose the line
            message = f"{record.msg!s} (log formatting failed: {exc})"
        when = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        entry: dict[str, Any] = {
            "@level": hclog_level(record.levelno),
            "@message": str(message),
            "@timestamp": format_timestamp(when),
            "@module": str(record.name if not self._prefix else f"{self._prefix}.{record.name}"),
        }
        for key, value in vars(record).items():
            if key in _RECORD_ATTRS or key.startswith("_"):
                continue
            out_key = f"extra.{key}" if key in _RESERVED else key
            entry[out_key] = _jsonable(value)
        if record.exc_info:
            entry["error"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        elif record.exc_text:
            entry["error"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


class StderrHandler(logging.Handler):
    """Writes whole lines to a file descriptor; a closed pipe drops the line."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            data = (self.format(record) + "\n").encode("utf-8", "backslashreplace")
        except Exception:
            self.handleError(record)
            return
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError:
            # EPIPE/EBADF once the host is gone: keep serving, lose the log.
            self.dropped += 1


def install(fd: int, level: int = TRACE) -> StderrHandler:
    """Route the root logger to hclog JSON on `fd`, replacing other handlers."""
    handler = StderrHandler(fd)
    handler.setFormatter(HclogJSONFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Library chatter (grpc logs a DEBUG line per RPC) would drown plugin logs.
    for noisy in ("grpc", "asyncio", "hpack"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.raiseExceptions = False
    return handler
