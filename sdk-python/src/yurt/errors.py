"""The errors a plugin raises, and what each one becomes on the wire.

The error kinds and their codes are defined once for the three SDKs in
proto/hashicorp/nomad/plugins/drivers/proto/driver.proto ("Error kinds");
spec/vectors/errors.json, cut from the Go SDK, is the test.

| kind           | raise                         | gRPC status         | message              |
|----------------|-------------------------------|---------------------|----------------------|
| TaskNotFound   | TaskNotFoundError             | UNKNOWN             | Nomad's exact text   |
| Recoverable    | RecoverableError              | FAILED_PRECONDITION | text + detail        |
| InvalidConfig  | ConfigError                   | UNKNOWN             | path, expected, got  |
| InvalidRequest | InvalidRequestError           | INVALID_ARGUMENT    | path, expected, got  |
| Unsupported    | PluginError("SignalTask is    | UNKNOWN             | "<RPC> is not        |
|                | not supported by this driver")|                     | supported by .."     |
| Unimplemented  | NotImplementedError (or the   | UNIMPLEMENTED       | the optional-RPC     |
|                | method left out)              |                     | table's text         |
| Plain          | PluginError / any other       | UNKNOWN             | str(exc)             |

Nomad's exact text is "task not found for given id"; the detail is a
structs.RecoverableError; path/expected/got read "<path>: expected <form>,
got <value>"; a plain error crosses the wire as a Go plugin's does.
"""

from __future__ import annotations

__all__ = [
    "TASK_NOT_FOUND",
    "ConfigError",
    "InvalidRequestError",
    "PluginError",
    "RecoverableError",
    "TaskNotFoundError",
]

TASK_NOT_FOUND = "task not found for given id"


class PluginError(Exception):
    """A plain plugin error: crosses the wire as gRPC UNKNOWN with its text."""


class TaskNotFoundError(PluginError):
    """The task id is unknown to this driver; Nomad matches the exact text."""

    def __init__(self, task_id: str | None = None) -> None:
        super().__init__(TASK_NOT_FOUND)
        self.task_id = task_id


class RecoverableError(PluginError):
    """A StartTask/TaskStats failure that Nomad may retry (restart policy)."""

    def __init__(self, message: str, *, recoverable: bool = True) -> None:
        super().__init__(message)
        self.recoverable = recoverable


class _PathError(PluginError, ValueError):
    """An error about the value at `path`: "<path>: expected <form>, got <value>"."""

    def __init__(self, path: str, expected: str, got: str) -> None:
        super().__init__(f"{path}: expected {expected}, got {got}")
        self.path = path
        self.expected = expected
        self.got = got


class ConfigError(_PathError):
    """Configuration bytes that do not match the declared schema or type.

    Kind InvalidConfig: gRPC UNKNOWN, as Nomad's Go plugins send a config
    decoding error (a plain error).
    """


class InvalidRequestError(_PathError):
    """A request whose shape is wrong (not the plugin's config): an RecoverTask
    handle without a task id, an exec stream without its setup message.

    Kind InvalidRequest: gRPC INVALID_ARGUMENT.
    """
