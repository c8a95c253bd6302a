//! The hclog vectors of spec/vectors/hclog.json, cut from Go's behaviour: the lines
//! [`format_line`](super::hclog::format_line) writes, read with go-plugin's rules (a reader that
//! is itself checked against the `lines` vectors). The other categories run in
//! tests/vectors.rs through the public API.

use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::hclog;

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

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Runs `check` on every vector, collects failures and reports them all at once.
fn run_all(list: &[Value], check: impl Fn(&Value) -> Result<(), String>) {
    let failures: Vec<String> = list.iter().filter_map(|v| check(v).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        list.len(),
        failures.join("\n")
    );
}

const LEVELS: [&str; 5] = ["trace", "debug", "info", "warn", "error"];

/// `2006-01-02T15:04:05.000000Z07:00` (exactly six fractional digits), rewritten as the host
/// logs it (`hclog.TimeFormat`: milliseconds, `Z` or `-0700`).
fn host_timestamp(ts: &str) -> Option<String> {
    let b = ts.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    let shape = b.len() >= 27
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b'.'
        && digits(20..26);
    if !shape {
        return None;
    }
    let zone = &ts[26..];
    let zone = match zone {
        "Z" | "+00:00" => "Z".to_string(),
        z if z.len() == 6
            && (z.starts_with('+') || z.starts_with('-'))
            && z.as_bytes()[3] == b':' =>
        {
            z.replace(':', "")
        }
        _ => return None,
    };
    Some(format!("{}.{}{zone}", &ts[..19], &ts[20..23]))
}

/// go-plugin's client (logStderr, parseJSON) reading one stderr line.
fn host_reading(line: &str) -> Value {
    let raw = |level: &str| json!({"level": level, "message": line, "args": {}});
    let entry = serde_json::from_str::<Value>(line)
        .ok()
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        });
    let stamp = entry.as_ref().map(|m| {
        m.get("@timestamp")
            .map(|t| host_timestamp(t.as_str().unwrap_or("")))
    });
    let Some(mut m) = entry.filter(|_| !matches!(stamp, Some(Some(None)))) else {
        for (prefix, level) in [
            ("[TRACE]", "trace"),
            ("[DEBUG]", "debug"),
            ("[INFO]", "info"),
            ("[WARN]", "warn"),
        ] {
            if line.starts_with(prefix) {
                return raw(level);
            }
        }
        if ["[ERROR]", "panic: ", "fatal error: "]
            .iter()
            .any(|p| line.starts_with(p))
        {
            return raw("error");
        }
        return raw("debug");
    };
    let level = m
        .remove("@level")
        .map(|l| s(&l).trim().to_lowercase())
        .unwrap_or_default();
    if !LEVELS.contains(&level.as_str()) {
        return raw("debug");
    }
    let message = m.remove("@message").unwrap_or(json!(""));
    let ts = m
        .remove("@timestamp")
        .and_then(|t| host_timestamp(s(&t)))
        .unwrap_or_else(|| "0001-01-01T00:00:00.000Z".into());
    m.insert("timestamp".into(), json!(ts));
    json!({"level": level, "message": message, "args": Value::Object(m)})
}

#[test]
fn host_reading_matches_go_plugin() {
    let file = load("hclog.json");
    run_all(vectors(&file, "lines"), |v| {
        let got = host_reading(s(&v["line"]));
        if got == v["reading"] {
            Ok(())
        } else {
            Err(format!("{:?}: want {}, got {got}", v["name"], v["reading"]))
        }
    });
}

#[test]
fn log_records_read_as_in_go() {
    let file = load("hclog.json");
    run_all(vectors(&file, "records"), |v| {
        let level = match s(&v["level"]) {
            "trace" => tracing::Level::TRACE,
            "debug" => tracing::Level::DEBUG,
            "info" => tracing::Level::INFO,
            "warn" => tracing::Level::WARN,
            _ => tracing::Level::ERROR,
        };
        let at = UNIX_EPOCH + Duration::from_micros(v["unix_micros"].as_u64().unwrap());
        let fields: Map<String, Value> = v["args"].as_object().unwrap().clone();
        let line = hclog::format_line(&level, s(&v["message"]), "plugin", at, fields);
        let line = line.strip_suffix('\n').unwrap_or(&line);
        if line.contains('\n') {
            return Err(format!("{:?}: the line spans lines: {line:?}", v["name"]));
        }
        let mut got = host_reading(line);
        got["args"].as_object_mut().unwrap().remove("@module"); // each SDK names its own module
        if got == v["reading"] {
            Ok(())
        } else {
            Err(format!("{:?}: want {}, got {got}", v["name"], v["reading"]))
        }
    });
}
