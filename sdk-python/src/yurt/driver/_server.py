"""The gRPC servicer of Nomad's Driver service over a DriverPlugin (private)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import grpc

from .. import hclspec
from .._proto.hashicorp.nomad.plugins.drivers.proto import (
    driver_pb2,
    driver_pb2_grpc,
    exec_pb2,
    task_pb2,
    task_stats_pb2,
)
from .._rpc import report, stream, unary
from ..errors import InvalidRequestError, TaskNotFoundError
from ._convert import (
    _attribute,
    _exit,
    _handle_to_proto,
    _seconds,
    _task_config_from_proto,
    _ts,
    _ts_always,
    _usage,
)
from .types import (
    ExecSession,
    TaskEvent,
    TaskHandle,
    TaskState,
)

if TYPE_CHECKING:
    from .plugin import DriverPlugin


class _DriverServicer(driver_pb2_grpc.DriverServicer):  # type: ignore[misc]
    def __init__(self, plugin: DriverPlugin) -> None:
        self._p = plugin

    @unary("TaskConfigSchema")
    async def TaskConfigSchema(self, request: Any, context: Any) -> Any:
        spec = self._p.task_config_spec
        if spec is None:
            return driver_pb2.TaskConfigSchemaResponse()
        return driver_pb2.TaskConfigSchemaResponse(spec=hclspec._to_proto(spec))

    @unary("Capabilities")
    async def Capabilities(self, request: Any, context: Any) -> Any:
        c = self._p.capabilities
        return driver_pb2.CapabilitiesResponse(
            capabilities=driver_pb2.DriverCapabilities(
                send_signals=c.send_signals,
                exec=c.exec,
                fs_isolation=int(c.fs_isolation),  # type: ignore[arg-type]
                network_isolation_modes=[int(m) for m in c.network_isolation_modes],  # type: ignore[misc]
                must_create_network=c.must_create_network,
                mount_configs=int(c.mount_configs),  # type: ignore[arg-type]
                disable_log_collection=c.disable_log_collection,
                dynamic_workload_users=c.dynamic_workload_users,
            )
        )

    @stream("Fingerprint")
    async def Fingerprint(self, request: Any, context: Any) -> AsyncIterator[Any]:
        async for fp in self._p.fingerprint():
            yield driver_pb2.FingerprintResponse(
                attributes={k: _attribute(v) for k, v in fp.attributes.items()},
                health=int(fp.health),  # type: ignore[arg-type]
                health_description=fp.description,
            )

    @unary("StartTask")
    async def StartTask(self, request: Any, context: Any) -> Any:
        task = _task_config_from_proto(
            request.task, self._p._decode_task_config(request.task.msgpack_driver_config)
        )
        handle = await self._p.start_task(task)
        return driver_pb2.StartTaskResponse(handle=_handle_to_proto(handle))

    @unary("RecoverTask")
    async def RecoverTask(self, request: Any, context: Any) -> Any:
        cfg_msg = request.handle.config
        task = _task_config_from_proto(
            cfg_msg, self._p._decode_task_config(cfg_msg.msgpack_driver_config)
        )
        # Nomad sends only the handle: task_id is empty and the id is
        # handle.config.id (hashicorp/nomad v2.0.5 plugins/drivers/client.go
        # RecoverTask); task_id is only a fallback.
        if not task.id:
            task.id = request.task_id
        if not task.id:
            raise InvalidRequestError(
                "handle.config.id", "the task id", '"" (and task_id is empty too)'
            )
        handle = TaskHandle(
            config=task,
            state=TaskState(request.handle.state)
            if request.handle.state in (0, 1, 2)
            else TaskState.UNKNOWN,
            driver_state=request.handle.driver_state,
            version=request.handle.version,
        )
        await self._p.recover_task(handle)
        return driver_pb2.RecoverTaskResponse()

    @unary("WaitTask")
    async def WaitTask(self, request: Any, context: Any) -> Any:
        try:
            result = await self._p.wait_task(request.task_id)
        except (TaskNotFoundError, asyncio.CancelledError):
            raise
        except Exception as e:  # the result is unknown, whatever the cause
            # Nomad's own drivers answer an unknown result (a lost supervisor)
            # with the error and exit code -1, never 0 (hashicorp/nomad v2.0.5
            # drivers/rawexec/driver.go handleWait: "if process state is nil,
            # we've probably been killed, so return a reasonable exit state").
            return driver_pb2.WaitTaskResponse(
                err=str(e) or type(e).__name__, result=task_pb2.ExitResult(exit_code=-1)
            )
        return driver_pb2.WaitTaskResponse(result=_exit(result))

    @unary("StopTask")
    async def StopTask(self, request: Any, context: Any) -> Any:
        await self._p.stop_task(request.task_id, _seconds(request.timeout), request.signal)
        return driver_pb2.StopTaskResponse()

    @unary("DestroyTask")
    async def DestroyTask(self, request: Any, context: Any) -> Any:
        await self._p.destroy_task(request.task_id, request.force)
        return driver_pb2.DestroyTaskResponse()

    @unary("InspectTask")
    async def InspectTask(self, request: Any, context: Any) -> Any:
        st = await self._p.inspect_task(request.task_id)
        status = task_pb2.TaskStatus(
            id=st.id,
            name=st.name,
            state=int(st.state),  # type: ignore[arg-type]
            started_at=_ts_always(st.started_at),
            completed_at=_ts_always(st.completed_at),
            # Always set: Nomad's Go client reads it in every state without a nil
            # check (plugins/drivers/utils.go exitResultFromProto); empty while running.
            result=_exit(st.exit_result) if st.exit_result else task_pb2.ExitResult(),
        )
        return driver_pb2.InspectTaskResponse(
            task=status, driver=task_pb2.TaskDriverStatus(attributes=st.driver_attributes)
        )

    @stream("TaskStats")
    async def TaskStats(self, request: Any, context: Any) -> AsyncIterator[Any]:
        interval = _seconds(request.collection_interval) or 1.0
        async for s in self._p.task_stats(request.task_id, interval):
            yield driver_pb2.TaskStatsResponse(
                stats=task_stats_pb2.TaskStats(
                    id=s.id,
                    timestamp=_ts(s.timestamp),
                    agg_resource_usage=_usage(s.usage),
                    resource_usage_by_pid={k: _usage(v) for k, v in s.by_pid.items()},
                )
            )

    @stream("TaskEvents")
    async def TaskEvents(self, request: Any, context: Any) -> AsyncIterator[Any]:
        queue: asyncio.Queue[TaskEvent] = asyncio.Queue()
        self._p._event_queues.add(queue)
        try:
            while True:
                ev = await queue.get()
                yield task_pb2.DriverTaskEvent(
                    task_id=ev.task_id,
                    alloc_id=ev.alloc_id,
                    task_name=ev.task_name,
                    timestamp=_ts(ev.timestamp),
                    message=ev.message,
                    annotations=ev.annotations,
                )
        finally:
            self._p._event_queues.discard(queue)

    @unary("SignalTask")
    async def SignalTask(self, request: Any, context: Any) -> Any:
        await self._p.signal_task(request.task_id, request.signal)
        return driver_pb2.SignalTaskResponse()

    @unary("ExecTask")
    async def ExecTask(self, request: Any, context: Any) -> Any:
        r = await self._p.exec_task(
            request.task_id, list(request.command), _seconds(request.timeout)
        )
        return exec_pb2.ExecTaskResponse(
            stdout=r.stdout, stderr=r.stderr, result=_exit(r.exit_result)
        )

    async def ExecTaskStreaming(self, request_iterator: Any, context: Any) -> None:
        try:
            first = await context.read()
            if first is grpc.aio.EOF or not first.HasField("setup"):
                raise InvalidRequestError("setup", "a setup message first", "a stream without one")
            setup = first.setup
            if not setup.command:
                raise InvalidRequestError("setup.command", "a command to run", "an empty list")
            session = ExecSession(setup.task_id, list(setup.command), setup.tty, context)
            session._feed(first)

            async def pump() -> None:
                while (req := await context.read()) is not grpc.aio.EOF:
                    session._feed(req)
                session._stdin.put_nowait(b"")

            reader = asyncio.create_task(pump())
            try:
                result = await self._p.exec_task_streaming(session)
            finally:
                reader.cancel()
            done = exec_pb2.ExecTaskStreamingIOOperation(close=True)
            await session._send(exec_pb2.ExecTaskStreamingResponse(stdout=done))
            if not session.tty:
                await session._send(exec_pb2.ExecTaskStreamingResponse(stderr=done))
            await session._send(
                exec_pb2.ExecTaskStreamingResponse(exited=True, result=_exit(result))
            )
        except grpc.aio.AbortError:
            raise
        except Exception as exc:
            code, message, trailers = report(exc, "ExecTaskStreaming")
            await context.abort(code, message, trailers)

    @unary("Init")
    async def Init(self, request: Any, context: Any) -> Any:
        return driver_pb2.InitResponse()

    @unary("Shutdown")
    async def Shutdown(self, request: Any, context: Any) -> Any:
        await self._p._yurt_on_shutdown()
        return driver_pb2.ShutdownResponse()
