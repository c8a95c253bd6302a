"""Map the SDK's error vocabulary onto gRPC statuses (see yurt.errors)."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import grpc
from google.protobuf import any_pb2
from google.rpc import status_pb2

from ._proto.hashicorp.nomad.plugins.shared.structs import recoverable_error_pb2
from .errors import InvalidRequestError, PluginError, RecoverableError

log = logging.getLogger("yurt.rpc")

R = TypeVar("R")
_DETAILS_KEY = "grpc-status-details-bin"


# What an optional RPC the plugin does not implement answers: the optional-RPC
# tables in proto/hashicorp/nomad/plugins/drivers/proto/driver.proto and
# device/device.proto (the same text in the three SDKs). Other RPCs say
# "<rpc> is not implemented by this plugin".
NOT_IMPLEMENTED = {
    "TaskStats": "stats not implemented for driver",
    "SignalTask": "SignalTask is not supported by this driver",
    "ExecTask": "ExecTask is not supported by this driver",
    "ExecTaskStreaming": "ExecTaskStreaming is not supported by this driver",
    "CreateNetwork": "CreateNetwork is not implemented by this driver",
    "DestroyNetwork": "DestroyNetwork is not implemented by this driver",
    "Init": "Init is not implemented by this driver",
    "Shutdown": "Shutdown is not implemented by this driver",
    "Stats": "Stats is not implemented by this plugin",
}


def status_for(exc: BaseException, rpc: str) -> tuple[grpc.StatusCode, str, tuple[Any, ...]]:
    """(code, message, trailing metadata) for an exception raised by plugin code."""
    if isinstance(exc, RecoverableError):
        detail = any_pb2.Any()
        detail.Pack(recoverable_error_pb2.RecoverableError(recoverable=exc.recoverable))
        status = status_pb2.Status(
            code=grpc.StatusCode.FAILED_PRECONDITION.value[0], message=str(exc), details=[detail]
        )
        return (
            grpc.StatusCode.FAILED_PRECONDITION,
            str(exc),
            ((_DETAILS_KEY, status.SerializeToString()),),
        )
    if isinstance(exc, InvalidRequestError):
        return grpc.StatusCode.INVALID_ARGUMENT, str(exc), ()
    if isinstance(exc, NotImplementedError):
        message = NOT_IMPLEMENTED.get(rpc, f"{rpc} is not implemented by this plugin")
        return grpc.StatusCode.UNIMPLEMENTED, message, ()
    return grpc.StatusCode.UNKNOWN, str(exc) or type(exc).__name__, ()


def report(exc: Exception, rpc: str) -> tuple[grpc.StatusCode, str, tuple[Any, ...]]:
    """Status for `exc`, logged: plugin errors at debug, anything else (a bug) with traceback."""
    code, message, trailers = status_for(exc, rpc)
    if isinstance(exc, PluginError | NotImplementedError):
        log.debug(f"{rpc} failed", extra={"error": message, "code": code.name})
    else:
        log.error(f"{rpc} failed", exc_info=exc)
    return code, message, trailers


def unary(
    rpc: str,
) -> Callable[[Callable[..., Awaitable[R]]], Callable[..., Awaitable[R]]]:
    """Wrap a unary servicer method so plugin exceptions become statuses."""

    def wrap(fn: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
        @functools.wraps(fn)
        async def inner(self: Any, request: Any, context: grpc.aio.ServicerContext) -> R:
            try:
                return await fn(self, request, context)
            except grpc.aio.AbortError:
                raise
            except Exception as exc:
                code, message, trailers = report(exc, rpc)
                await context.abort(code, message, trailers)
                raise  # unreachable: abort raises

        return inner

    return wrap


def stream(
    rpc: str,
) -> Callable[[Callable[..., AsyncIterator[R]]], Callable[..., AsyncIterator[R]]]:
    """Wrap a server-streaming servicer method (an async generator)."""

    def wrap(fn: Callable[..., AsyncIterator[R]]) -> Callable[..., AsyncIterator[R]]:
        @functools.wraps(fn)
        async def inner(
            self: Any, request: Any, context: grpc.aio.ServicerContext
        ) -> AsyncIterator[R]:
            try:
                async for item in fn(self, request, context):
                    yield item
            except grpc.aio.AbortError:
                raise
            except Exception as exc:
                code, message, trailers = report(exc, rpc)
                await context.abort(code, message, trailers)

        return inner

    return wrap
