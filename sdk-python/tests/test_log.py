"""The hclog JSON bridge: field types, timestamp layout, levels, EPIPE."""

from __future__ import annotations

import json
import logging
import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yurt._log import TRACE, HclogJSONFormatter, StderrHandler, hclog_level

# go-hclog TimeFormatJSON: 2006-01-02T15:04:05.000000Z07:00
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$")


def _record(msg: object, /, *args: object, **extra: object) -> logging.LogRecord:
    logger = logging.getLogger("yurt.test")
    return logger.makeRecord(
        "yurt.test", logging.INFO, __file__, 1, msg, args, None, extra=extra or None
    )


@pytest.mark.parametrize(
    ("levelno", "name"),
    [
        (TRACE, "trace"),
        (logging.DEBUG, "debug"),
        (logging.INFO, "info"),
        (logging.WARNING, "warn"),
        (logging.ERROR, "error"),
        (logging.CRITICAL, "error"),
    ],
)
def test_levels(levelno: int, name: str) -> None:
    assert hclog_level(levelno) == name


def test_line_shape() -> None:
    line = HclogJSONFormatter().format(_record("hello %s", "world", task="t1", n=3))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["@message"] == "hello world"
    assert entry["@level"] == "info"
    assert entry["@module"] == "yurt.test"
    assert TIMESTAMP.match(entry["@timestamp"]), entry["@timestamp"]
    assert entry["task"] == "t1"
    assert entry["n"] == 3


def test_reserved_keys_cannot_be_overridden_by_extras() -> None:
    # Non-string @level would crash the go-plugin host; extras are renamed.
    record = _record("m")
    record.__dict__["@level"] = 5
    entry = json.loads(HclogJSONFormatter().format(record))
    assert entry["@level"] == "info"
    assert entry["extra.@level"] == 5


def test_exceptions_and_bad_format_args() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        rec = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, "f", 1, "failed", (), sys.exc_info()
        )
    entry = json.loads(HclogJSONFormatter().format(rec))
    assert "RuntimeError: boom" in entry["error"]
    broken = json.loads(HclogJSONFormatter().format(_record("%d apples", "not-a-number")))
    assert "log formatting failed" in broken["@message"]


@given(
    st.text(),
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
        st.one_of(
            st.text(), st.integers(), st.floats(allow_nan=False), st.none(), st.lists(st.integers())
        ),
    ),
)
def test_every_line_is_one_json_object_with_string_at_fields(
    msg: str, extra: dict[str, object]
) -> None:
    safe = {
        k: v
        for k, v in extra.items()
        if k not in logging.LogRecord("x", 1, "x", 1, "x", None, None).__dict__
        and k not in ("message", "asctime")
    }
    line = HclogJSONFormatter().format(_record(msg, **safe))
    assert "\n" not in line
    entry = json.loads(line)
    for key in ("@level", "@message", "@timestamp", "@module"):
        assert isinstance(entry[key], str)
    assert entry["@message"] == msg


def test_handler_survives_a_closed_pipe() -> None:
    r, w = os.pipe()
    os.close(r)  # the host is gone
    handler = StderrHandler(w)
    handler.setFormatter(HclogJSONFormatter())
    handler.emit(_record("into the void"))
    handler.emit(_record("again"))
    assert handler.dropped == 2
    os.close(w)


def test_handler_writes_whole_lines() -> None:
    r, w = os.pipe()
    handler = StderrHandler(w)
    handler.setFormatter(HclogJSONFormatter())
    handler.emit(_record("one"))
    handler.emit(_record("two"))
    os.close(w)
    data = os.read(r, 65536).decode()
    os.close(r)
    lines = data.splitlines()
    assert [json.loads(x)["@message"] for x in lines] == ["one", "two"]
