"""The errors a plugin raises, and what each one becomes on the wire.

| raise                   | gRPC status         | text / details                                 |
|-------------------------|---------------------|------------------------------------------------|
| TaskNotFoundError       | UNKNOWN             | "task not found for given id" (Nomad matches)  |
| RecoverableError        | FAILED_PRECONDITION | message + structs.RecoverableError detail      |
| ConfigError             | INVALID_ARGUMENT    | "<path>: expected <form>, got <value>"         |
| NotImplementedError     | UNIMPLEMENTED       | the optional-RPC table's text (_rpc.py)    |
| PluginError / any other | UNKNOWN             | str(exc), as a Go plugin's plain error arrives |
"""

from __future__ import annotations

__all__ = [
    "TASK_NOT_FOUND",
    "ConfigError",
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


class ConfigError(PluginError, ValueError):
    """Configuration bytes that do not match the declared schema or type."""

    def __init__(self, path: str, expected: str, got: str) -> None:
        super().__init__(f"{path}: expected {expected}, got {got}")
        self.path = path
        self.expected = expected
        self.got = got
