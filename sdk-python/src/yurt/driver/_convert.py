"""Conversions between the public driver types and the generated wire types (private)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from google.protobuf import timestamp_pb2

from .._proto.hashicorp.nomad.plugins.drivers.proto import task_pb2, task_stats_pb2
from .._proto.hashicorp.nomad.plugins.shared.structs import attribute_pb2
from .types import (
    AttributeValue,
    ExitResult,
    Resources,
    TaskConfig,
    TaskHandle,
    TaskResourceUsage,
)


def _attribute(value: AttributeValue) -> attribute_pb2.Attribute:
    if isinstance(value, bool):
        return attribute_pb2.Attribute(bool_val=value)
    if isinstance(value, int):
        return attribute_pb2.Attribute(int_val=value)
    if isinstance(value, float):
        return attribute_pb2.Attribute(float_val=value)
    if isinstance(value, str):
        return attribute_pb2.Attribute(string_val=value)
    raise TypeError(f"attribute: expected bool, int, float or str, got {type(value).__name__}")


def _ts(when: dt.datetime | None) -> timestamp_pb2.Timestamp | None:
    if when is None:
        return None
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(when if when.tzinfo else when.replace(tzinfo=dt.UTC))
    return ts


#: Go's zero time.Time, 0001-01-01T00:00:00Z, as seconds since the Unix epoch.
GO_ZERO_TIME_SECONDS = -62135596800


def _ts_always(when: dt.datetime | None) -> timestamp_pb2.Timestamp:
    """A timestamp that is always set: None becomes Go's zero time.

    Nomad's own plugin server sends TaskStatus times this way and its Go
    client fails on a missing one (hashicorp/nomad v2.0.5
    plugins/drivers/utils.go taskStatusToProto / taskStatusFromProto).
    """
    if when is None:
        return timestamp_pb2.Timestamp(seconds=GO_ZERO_TIME_SECONDS, nanos=0)
    ts = _ts(when)
    assert ts is not None
    return ts


def _from_ts_opt(msg: Any, name: str) -> dt.datetime | None:
    """The datetime in field `name` of `msg`; None when unset or Go's zero time."""
    if not msg.HasField(name):
        return None
    ts = getattr(msg, name)
    if ts.seconds == GO_ZERO_TIME_SECONDS and ts.nanos == 0:
        return None
    return _from_ts(ts)


def _from_ts(ts: timestamp_pb2.Timestamp) -> dt.datetime:
    return ts.ToDatetime(tzinfo=dt.UTC)


def _task_config_from_proto(msg: task_pb2.TaskConfig, driver_config: Any) -> TaskConfig:
    alloc = msg.resources.allocated_resources
    return TaskConfig(
        id=msg.id,
        name=msg.name,
        driver_config=driver_config,
        env=dict(msg.env),
        device_env=dict(msg.device_env),
        resources=Resources(
            cpu_shares=alloc.cpu.cpu_shares,
            memory_mb=alloc.memory.memory_mb,
            memory_max_mb=alloc.memory.memory_max_mb,
        ),
        user=msg.user,
        alloc_dir=msg.alloc_dir,
        stdout_path=msg.stdout_path,
        stderr_path=msg.stderr_path,
        task_group_name=msg.task_group_name,
        job_name=msg.job_name,
        job_id=msg.job_id,
        alloc_id=msg.alloc_id,
        namespace=msg.namespace,
        node_name=msg.node_name,
        node_id=msg.node_id,
        parent_job_id=msg.parent_job_id,
        _wire=msg.SerializeToString(),
    )


def _task_config_to_proto(cfg: TaskConfig) -> task_pb2.TaskConfig:
    msg = task_pb2.TaskConfig.FromString(cfg._wire) if cfg._wire else task_pb2.TaskConfig()
    msg.id = cfg.id
    msg.name = cfg.name
    msg.user = cfg.user
    msg.alloc_dir = cfg.alloc_dir
    msg.stdout_path = cfg.stdout_path
    msg.stderr_path = cfg.stderr_path
    msg.alloc_id = cfg.alloc_id
    msg.job_name = cfg.job_name
    msg.task_group_name = cfg.task_group_name
    msg.env.clear()
    msg.env.update(cfg.env)
    return msg


def _handle_to_proto(handle: TaskHandle) -> task_pb2.TaskHandle:
    return task_pb2.TaskHandle(
        version=handle.version,
        config=_task_config_to_proto(handle.config),
        state=int(handle.state),  # type: ignore[arg-type]
        driver_state=handle.driver_state,
    )


def _exit(result: ExitResult) -> task_pb2.ExitResult:
    return task_pb2.ExitResult(
        exit_code=result.exit_code, signal=result.signal, oom_killed=result.oom_killed
    )


def _usage(u: TaskResourceUsage) -> task_stats_pb2.TaskResourceUsage:
    cpu = task_stats_pb2.CPUUsage()
    for name, enum_name in (
        ("system_mode", "SYSTEM_MODE"),
        ("user_mode", "USER_MODE"),
        ("total_ticks", "TOTAL_TICKS"),
        ("percent", "PERCENT"),
    ):
        value = getattr(u.cpu, name)
        if value is not None:
            setattr(cpu, name, float(value))
            cpu.measured_fields.append(task_stats_pb2.CPUUsage.Fields.Value(enum_name))  # type: ignore[arg-type]
    mem = task_stats_pb2.MemoryUsage()
    for name, enum_name in (
        ("rss", "RSS"),
        ("cache", "CACHE"),
        ("swap", "SWAP"),
        ("usage", "USAGE"),
        ("max_usage", "MAX_USAGE"),
    ):
        value = getattr(u.memory, name)
        if value is not None:
            setattr(mem, name, int(value))
            mem.measured_fields.append(task_stats_pb2.MemoryUsage.Fields.Value(enum_name))  # type: ignore[arg-type]
    return task_stats_pb2.TaskResourceUsage(cpu=cpu, memory=mem)


def _seconds(duration: Any) -> float:
    return float(duration.seconds) + float(duration.nanos) / 1e9
