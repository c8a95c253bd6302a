//! The descriptors the Rust SDK's code is generated from match the wire facts exactly
//! (spec/nomad-plugin-wire.json, the one copy the Go and Python tests read too).
//!
//! `main` compiles `PROTO_FILES` with protox and hands the result to tonic-prost-build; this test
//! compiles the same files the same way and compares every package, message, field
//! number/name/type/label, oneof, reserved range, map entry, enum value and streaming flag with
//! the facts, naming each difference. `make check-generated` proves the committed Rust code is
//! what these descriptors generate.

use std::collections::BTreeMap;
use std::path::Path;

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FileDescriptorSet};
use serde_json::{Map, Value, json};

fn label(l: Label) -> String {
    l.as_str_name().trim_start_matches("LABEL_").to_string()
}

fn ty(t: Type) -> String {
    t.as_str_name().trim_start_matches("TYPE_").to_string()
}

fn enum_values(values: &[prost_types::EnumValueDescriptorProto]) -> Value {
    Value::Object(
        values
            .iter()
            .map(|v| (v.number().to_string(), json!(v.name())))
            .collect(),
    )
}

fn walk(
    prefix: &str,
    msg: &DescriptorProto,
    messages: &mut Map<String, Value>,
    enums: &mut Map<String, Value>,
) {
    let name = format!("{prefix}.{}", msg.name());
    let mut fields = Map::new();
    for f in &msg.field {
        let mut entry = Map::new();
        entry.insert("label".into(), json!(label(f.label())));
        entry.insert("name".into(), json!(f.name()));
        entry.insert("type".into(), json!(ty(f.r#type())));
        if !f.type_name().is_empty() {
            entry.insert(
                "type_name".into(),
                json!(f.type_name().trim_start_matches('.')),
            );
        }
        if let Some(i) = f.oneof_index {
            entry.insert("oneof".into(), json!(msg.oneof_decl[i as usize].name()));
        }
        fields.insert(f.number().to_string(), Value::Object(entry));
    }
    let mut record = Map::new();
    record.insert("fields".into(), Value::Object(fields));
    if !msg.reserved_range.is_empty() {
        let ranges: Vec<Value> = msg
            .reserved_range
            .iter()
            .map(|r| json!([r.start(), r.end() - 1]))
            .collect();
        record.insert("reserved".into(), Value::Array(ranges));
    }
    if msg.options.as_ref().is_some_and(|o| o.map_entry()) {
        record.insert("map_entry".into(), json!(true));
    }
    messages.insert(name.clone(), Value::Object(record));
    for nested in &msg.nested_type {
        walk(&name, nested, messages, enums);
    }
    for e in &msg.enum_type {
        enums.insert(format!("{name}.{}", e.name()), enum_values(&e.value));
    }
}

/// The facts' shape, built from compiled descriptors.
fn facts_from(fds: &FileDescriptorSet) -> Value {
    let (mut messages, mut enums, mut services) = (Map::new(), Map::new(), Map::new());
    // the SDK's own files, not the well-known types they import
    for file in fds
        .file
        .iter()
        .filter(|f| crate::PROTO_FILES.contains(&f.name()))
    {
        let pkg = file.package();
        for msg in &file.message_type {
            walk(pkg, msg, &mut messages, &mut enums);
        }
        for e in &file.enum_type {
            enums.insert(format!("{pkg}.{}", e.name()), enum_values(&e.value));
        }
        for svc in &file.service {
            let methods: BTreeMap<String, Value> = svc
                .method
                .iter()
                .map(|m| {
                    let v = json!({
                        "client_streaming": m.client_streaming(),
                        "input": m.input_type().trim_start_matches('.'),
                        "output": m.output_type().trim_start_matches('.'),
                        "server_streaming": m.server_streaming(),
                    });
                    (m.name().to_string(), v)
                })
                .collect();
            services.insert(format!("{pkg}.{}", svc.name()), json!(methods));
        }
    }
    json!({"enums": enums, "messages": messages, "services": services})
}

fn diff(want: &Value, got: &Value, path: &str, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            let keys: std::collections::BTreeSet<&String> = w.keys().chain(g.keys()).collect();
            for k in keys {
                match (w.get(k), g.get(k)) {
                    (Some(_), None) => {
                        out.push(format!("{path}.{k}: missing from the Rust descriptors"))
                    }
                    (None, Some(_)) => out.push(format!("{path}.{k}: not in the wire facts")),
                    (Some(a), Some(b)) => diff(a, b, &format!("{path}.{k}"), out),
                    (None, None) => {}
                }
            }
        }
        _ if want != got => out.push(format!("{path}: want {want}, got {got}")),
        _ => {}
    }
}

fn load() -> (Value, Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("spec/nomad-plugin-wire.json")).unwrap();
    let mut facts: Value = serde_json::from_str(&text).unwrap();
    facts.as_object_mut().unwrap().remove("about");
    let fds = protox::compile(crate::PROTO_FILES, [root.join("proto")]).unwrap();
    (facts, facts_from(&fds))
}

#[test]
fn descriptors_match_the_wire_facts() {
    let (facts, got) = load();
    let mut problems = Vec::new();
    diff(&facts, &got, "wire", &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_comparison_can_fail() {
    let (facts, mut got) = load();
    got["messages"]["hashicorp.nomad.plugins.drivers.proto.TaskHandle"]["fields"]["4"]["type"] =
        json!("STRING");
    let mut problems = Vec::new();
    diff(&facts, &got, "wire", &mut problems);
    assert_eq!(
        problems,
        vec![
            "wire.messages.hashicorp.nomad.plugins.drivers.proto.TaskHandle.fields.4.type: want \"BYTES\", got \"STRING\""
                .to_string()
        ]
    );
}
