//! The shared vectors in spec/vectors/, cut from Go's behaviour, hold for the Rust SDK too.
//!
//! Each category checks the part this SDK implements (see each file's `about`): type expressions
//! (`hclspec::canonical_type`), schema checks (`Spec::validate`; literals are not evaluated here,
//! so vectors that need "hcl_expression" are skipped), msgpack config decoding (`config::decode`
//! into serde types declared for each named spec; "strict_attributes" and
//! "decimal_string_numbers" are skipped: serde fills missing optional fields and reads numbers
//! only as numbers), handshake lines (`testing::HandshakeLine`'s parser; "x509" is skipped: it
//! only base64-decodes the certificate) and the error table (`Error` into `tonic::Status`). The
//! hclog vectors check a private part of the crate, so they run as its unit tests
//! (src/goplugin/hclog_vectors.rs).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use yurt::hclspec::{self, Spec};
use yurt::testing::{Address, HandshakeLine};
use yurt::{APP_PROTOCOL_VERSION, CORE_PROTOCOL_VERSION, Error, config};

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../spec/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn vectors<'a>(file: &'a Value, key: &str) -> &'a Vec<Value> {
    file[key].as_array().expect("a list of vectors")
}

fn needs(v: &Value, what: &str) -> bool {
    v["needs"]
        .as_array()
        .is_some_and(|n| n.iter().any(|x| x == what))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Runs `check` on every vector, collects failures and reports them all at once.
fn run_all(list: &[Value], check: impl Fn(&Value) -> Result<(), String>) -> usize {
    let failures: Vec<String> = list.iter().filter_map(|v| check(v).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        list.len(),
        failures.join("\n")
    );
    list.len()
}

#[test]
fn type_expressions() {
    let file = load("typeexpr.json");
    run_all(vectors(&file, "vectors"), |v| {
        let got = hclspec::canonical_type(s(&v["expr"]));
        match (v["ok"].as_bool().unwrap(), got) {
            (true, Ok(t)) if t == s(&v["type"]) => Ok(()),
            (false, Err(_)) => Ok(()),
            (_, got) => Err(format!(
                "{:?}: want ok={} {:?}, got {got:?}",
                v["expr"], v["ok"], v["type"]
            )),
        }
    });
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_default()
}

/// A vector file's JSON spec node as the SDK's `Spec`.
fn build(node: &Value) -> Spec {
    let (kind, b) = node.as_object().unwrap().iter().next().unwrap();
    let nested = || Box::new(build(&b["nested"]));
    match kind.as_str() {
        "object" => hclspec::object(
            b.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), build(v))),
        ),
        "array" => hclspec::array(b.as_array().unwrap().iter().map(build)),
        "attr" => Spec::Attr {
            name: s(&b["name"]).into(),
            ty: s(&b["type"]).into(),
            required: b["required"] == true,
        },
        "block" => Spec::Block {
            name: s(&b["name"]).into(),
            required: b["required"] == true,
            nested: nested(),
        },
        "block_attrs" => Spec::BlockAttrs {
            name: s(&b["name"]).into(),
            ty: s(&b["type"]).into(),
            required: b["required"] == true,
        },
        "block_list" => Spec::BlockList {
            name: s(&b["name"]).into(),
            min_items: u(&b["min_items"]),
            max_items: u(&b["max_items"]),
            nested: nested(),
        },
        "block_set" => Spec::BlockSet {
            name: s(&b["name"]).into(),
            min_items: u(&b["min_items"]),
            max_items: u(&b["max_items"]),
            nested: nested(),
        },
        "block_map" => Spec::BlockMap {
            name: s(&b["name"]).into(),
            labels: b["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| s(l).to_string())
                .collect(),
            nested: nested(),
        },
        "default" => hclspec::default(build(&b["primary"]), build(&b["default"])),
        "literal" => hclspec::literal(s(&b["value"])),
        other => panic!("unknown spec node {other}"),
    }
}

#[test]
fn schemas() {
    let file = load("hclspec.json");
    let list: Vec<Value> = vectors(&file, "vectors")
        .iter()
        .filter(|v| !needs(v, "hcl_expression"))
        .cloned()
        .collect();
    run_all(&list, |v| {
        match (v["ok"].as_bool().unwrap(), build(&v["spec"]).validate()) {
            (true, Ok(())) | (false, Err(_)) => Ok(()),
            (_, got) => Err(format!("{:?}: want ok={}, got {got:?}", v["name"], v["ok"])),
        }
    });
}

// The msgpack vectors' named specs, declared as serde types (every attribute may be null).
#[derive(Debug, Deserialize, Serialize)]
struct Exec {
    args: Option<Vec<String>>,
    command: Option<String>,
    count: Option<f64>,
    enabled: Option<bool>,
    env: Option<BTreeMap<String, String>>,
    port: Option<Vec<Port>>,
}
#[derive(Debug, Deserialize, Serialize)]
struct Port {
    label: Option<String>,
    to: Option<f64>,
}
#[derive(Debug, Deserialize, Serialize)]
struct Nested {
    logging: Option<Logging>,
    matrix: Option<Vec<Vec<f64>>>,
    tags: Option<Vec<String>>,
    weights: Option<BTreeMap<String, f64>>,
}
#[derive(Debug, Deserialize, Serialize)]
struct Logging {
    driver: Option<String>,
    options: Option<BTreeMap<String, String>>,
}

/// Equal as cty JSON: numbers by value, sets (here `tags`) in any order.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// `port[1].to` -> ["port", 1, "to"].
fn steps(path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !name.is_empty() {
            out.push(json!(name));
        }
        for idx in rest.split(['[', ']']).filter(|x| !x.is_empty()) {
            out.push(json!(idx.parse::<u64>().unwrap()));
        }
    }
    out
}

fn decode_as(spec: &str, bytes: &[u8]) -> Result<Value, config::DecodeError> {
    let v = match spec {
        "exec" => serde_json::to_value(config::decode::<Exec>("config", bytes)?),
        "nested" => {
            let mut n: Nested = config::decode("config", bytes)?;
            if let Some(t) = n.tags.as_mut() {
                t.sort();
            }
            serde_json::to_value(n)
        }
        other => panic!("no Rust type for spec {other}"),
    };
    Ok(v.unwrap())
}

fn unhex(h: &str) -> Vec<u8> {
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn msgpack_config() {
    let file = load("msgpack.json");
    let list: Vec<Value> = vectors(&file, "vectors")
        .iter()
        .filter(|v| !needs(v, "strict_attributes") && !needs(v, "decimal_string_numbers"))
        .cloned()
        .collect();
    run_all(&list, |v| {
        let got = decode_as(s(&v["spec"]), &unhex(s(&v["msgpack_hex"])));
        match (v["ok"].as_bool().unwrap(), got) {
            (true, Ok(val)) if same(&val, &v["value"]) => Ok(()),
            (false, Err(e))
                if v["field"].is_null() || Value::Array(steps(&e.path)) == v["field"] =>
            {
                Ok(())
            }
            (_, got) => Err(format!(
                "{:?}: want ok={} {} field {}, got {got:?}",
                v["name"], v["ok"], v["value"], v["field"]
            )),
        }
    });
}

#[test]
fn handshake_lines() {
    let file = load("handshake.json");
    let list: Vec<Value> = vectors(&file, "vectors")
        .iter()
        .filter(|v| !needs(v, "x509"))
        .cloned()
        .collect();
    run_all(&list, |v| {
        // What Nomad's go-plugin client takes: the parsed line, with the versions it speaks.
        let got = s(&v["line"]).parse::<HandshakeLine>().ok().filter(|h| {
            h.core_version == CORE_PROTOCOL_VERSION && h.app_version == APP_PROTOCOL_VERSION
        });
        let got = got.map(|h| {
            let (net, addr) = match h.address {
                Address::Unix(p) => ("unix", p.display().to_string()),
                Address::Tcp(a) => ("tcp", a.to_string()),
            };
            (net.to_string(), addr, h.cert_der.is_some())
        });
        let want = v["ok"].as_bool().unwrap().then(|| {
            (
                s(&v["network"]).to_string(),
                s(&v["address"]).to_string(),
                v["cert"] == true,
            )
        });
        if got == want {
            Ok(())
        } else {
            Err(format!("{:?}: want {want:?}, got {got:?}", v["name"]))
        }
    });
}

fn error_for(v: &Value) -> Error {
    match s(&v["kind"]) {
        "TaskNotFound" => Error::TaskNotFound,
        "Recoverable" => Error::recoverable(s(&v["text"])),
        "Fatal" => Error::fatal(s(&v["text"])),
        "Plain" => Error::other(s(&v["text"])),
        "InvalidConfig" => {
            let path: Vec<String> = v["field"]
                .as_array()
                .unwrap()
                .iter()
                .map(|st| match st {
                    Value::Number(n) => format!("[{n}]"),
                    other => format!(".{}", s(other)),
                })
                .collect();
            let path = path.concat();
            Error::from(config::DecodeError {
                what: "config",
                path: path.trim_start_matches('.').to_string(),
                message: "invalid type: floating point `1.5`, expected u32".into(),
            })
        }
        // The driver trait's defaults for SignalTask and ExecTask return these (driver.rs).
        "Unsupported" => {
            Error::Unsupported(format!("{} is not supported by this driver", s(&v["rpc"])))
        }
        "Unimplemented" => Error::Unimplemented(format!("{} is not implemented", s(&v["rpc"]))),
        other => panic!("no Rust error for kind {other}"),
    }
}

#[test]
fn error_table() {
    let file = load("errors.json");
    run_all(vectors(&file, "vectors"), |v| {
        let st: tonic::Status = error_for(v).into();
        let code = format!("{:?}", st.code());
        let mut bad = Vec::new();
        if code != s(&v["code"]) {
            bad.push(format!("code {code}"));
        }
        if v["exact"].is_string() && st.message() != s(&v["exact"]) {
            bad.push(format!("message {:?}", st.message()));
        }
        for part in v["contains"].as_array().into_iter().flatten() {
            if !st.message().contains(s(part)) {
                bad.push(format!("message {:?} lacks {part}", st.message()));
            }
        }
        if yurt::recoverable_detail(&st) != v["recoverable"].as_bool() {
            bad.push(format!("recoverable {:?}", yurt::recoverable_detail(&st)));
        }
        if bad.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{} from {}: {}",
                v["kind"],
                v["rpc"],
                bad.join(", ")
            ))
        }
    });
}
