"""The generated Python descriptors match the wire facts exactly.

If grpcio-tools, the import rewriting or a proto edit changed any package,
message, field number/name/type/label, oneof, reserved range, map entry, enum
value or streaming flag, this fails and names the difference.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import FileDescriptor

from yurt._proto.hashicorp.nomad.plugins.base.proto import base_pb2
from yurt._proto.hashicorp.nomad.plugins.device import device_pb2
from yurt._proto.hashicorp.nomad.plugins.drivers.proto import (
    driver_pb2,
    exec_pb2,
    task_pb2,
    task_stats_pb2,
)
from yurt._proto.hashicorp.nomad.plugins.shared.hclspec import hclspec_pb2
from yurt._proto.hashicorp.nomad.plugins.shared.structs import (
    attribute_pb2,
    recoverable_error_pb2,
    stats_pb2,
)
from yurt._proto.plugin import grpc_broker_pb2, grpc_controller_pb2, grpc_stdio_pb2

FACTS = Path(__file__).resolve().parents[2] / "spec" / "nomad-plugin-wire.json"
FILES: list[FileDescriptor] = [
    m.DESCRIPTOR
    for m in (
        base_pb2,
        device_pb2,
        driver_pb2,
        exec_pb2,
        task_pb2,
        task_stats_pb2,
        hclspec_pb2,
        attribute_pb2,
        recoverable_error_pb2,
        stats_pb2,
        grpc_broker_pb2,
        grpc_controller_pb2,
        grpc_stdio_pb2,
    )
]

_LABELS = {
    v: k.removeprefix("LABEL_") for k, v in descriptor_pb2.FieldDescriptorProto.Label.items()
}
_TYPES = {v: k.removeprefix("TYPE_") for k, v in descriptor_pb2.FieldDescriptorProto.Type.items()}


def _walk_message(
    prefix: str, msg: descriptor_pb2.DescriptorProto, out: dict[str, Any], enums: dict[str, Any]
) -> None:
    name = f"{prefix}.{msg.name}"
    fields: dict[str, Any] = {}
    for f in msg.field:
        entry: dict[str, Any] = {
            "label": _LABELS[f.label],
            "name": f.name,
            "type": _TYPES[f.type],
        }
        if f.type_name:
            entry["type_name"] = f.type_name.lstrip(".")
        if f.HasField("oneof_index"):
            entry["oneof"] = msg.oneof_decl[f.oneof_index].name
        fields[str(f.number)] = entry
    record: dict[str, Any] = {"fields": fields}
    if msg.reserved_range:
        record["reserved"] = [[r.start, r.end - 1] for r in msg.reserved_range]
    if msg.options.map_entry:
        record["map_entry"] = True
    out[name] = record
    for nested in msg.nested_type:
        _walk_message(name, nested, out, enums)
    for enum in msg.enum_type:
        enums[f"{name}.{enum.name}"] = {str(v.number): v.name for v in enum.value}


def _facts_from_descriptors() -> dict[str, Any]:
    messages: dict[str, Any] = {}
    enums: dict[str, Any] = {}
    services: dict[str, Any] = {}
    for fd in FILES:
        proto = descriptor_pb2.FileDescriptorProto()
        fd.CopyToProto(proto)
        for msg in proto.message_type:
            _walk_message(proto.package, msg, messages, enums)
        for enum in proto.enum_type:
            enums[f"{proto.package}.{enum.name}"] = {str(v.number): v.name for v in enum.value}
        for svc in proto.service:
            services[f"{proto.package}.{svc.name}"] = {
                m.name: {
                    "client_streaming": m.client_streaming,
                    "input": m.input_type.lstrip("."),
                    "output": m.output_type.lstrip("."),
                    "server_streaming": m.server_streaming,
                }
                for m in svc.method
            }
    return {"enums": enums, "messages": messages, "services": services}


def _diff(want: Any, got: Any, path: str, out: list[str]) -> None:
    if isinstance(want, dict) and isinstance(got, dict):
        for key in sorted(set(want) | set(got)):
            if key not in got:
                out.append(f"{path}.{key}: missing from generated code")
            elif key not in want:
                out.append(f"{path}.{key}: not in the wire facts")
            else:
                _diff(want[key], got[key], f"{path}.{key}", out)
    elif want != got:
        out.append(f"{path}: want {want!r}, got {got!r}")


def test_generated_descriptors_match_the_wire_facts() -> None:
    facts = json.loads(FACTS.read_text())
    facts.pop("about")
    problems: list[str] = []
    _diff(facts, _facts_from_descriptors(), "wire", problems)
    assert not problems, "\n".join(problems[:50])


def test_the_comparison_can_fail() -> None:
    got = _facts_from_descriptors()
    got["messages"]["hashicorp.nomad.plugins.drivers.proto.TaskHandle"]["fields"]["4"]["type"] = (
        "STRING"
    )
    problems: list[str] = []
    facts = json.loads(FACTS.read_text())
    facts.pop("about")
    _diff(facts, got, "wire", problems)
    assert problems == [
        "wire.messages.hashicorp.nomad.plugins.drivers.proto.TaskHandle.fields.4.type: "
        "want 'BYTES', got 'STRING'"
    ]
