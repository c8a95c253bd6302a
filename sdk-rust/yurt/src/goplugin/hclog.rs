//! Logs as the go-plugin host reads them: one hclog JSON object per line on stderr.
//!
//! The host type-asserts `@message`, `@level` and `@timestamp` as strings (a number there panics
//! it) and parses the timestamp with exactly six fractional digits, so this layer always writes
//! those keys as strings in that form and renames user fields that would collide with them.
//! Write errors are ignored: when the host dies the pipe breaks, and the plugin must keep serving.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;

/// Where log lines go; stderr in a plugin, a buffer in tests.
pub type Sink = Arc<Mutex<dyn Write + Send>>;

/// A tracing layer that writes hclog JSON lines.
pub struct HclogLayer {
    module: String,
    sink: Sink,
    max_level: Level,
}

impl HclogLayer {
    /// Writes to stderr with `@module` set to `module`, keeping events at `max_level` and above
    /// in severity (TRACE keeps everything).
    pub fn stderr(module: impl Into<String>, max_level: Level) -> Self {
        Self::new(module, max_level, Arc::new(Mutex::new(std::io::stderr())))
    }

    /// Writes to any sink.
    pub fn new(module: impl Into<String>, max_level: Level, sink: Sink) -> Self {
        HclogLayer {
            module: module.into(),
            sink,
            max_level,
        }
    }
}

/// hclog's level names.
pub fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

const RESERVED: [&str; 4] = ["@level", "@message", "@timestamp", "@module"];

#[derive(Default)]
struct Fields {
    message: Option<String>,
    rest: Map<String, Value>,
}

impl Fields {
    fn put(&mut self, field: &Field, value: Value) {
        let name = field.name();
        if name == "message" {
            self.message = Some(match value {
                Value::String(s) => s,
                other => other.to_string(),
            });
            return;
        }
        let key = if RESERVED.contains(&name) {
            format!("_{name}")
        } else {
            name.to_string()
        };
        self.rest.insert(key, value);
    }
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, Value::String(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Value::String(value.to_string()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        // NaN and infinities are not JSON numbers.
        let v = serde_json::Number::from_f64(value)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(value.to_string()));
        self.put(field, v);
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::Bool(value));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.put(field, Value::String(value.to_string()));
    }
}

/// Crates whose internals would flood the host's log: only their warnings and errors pass.
const QUIET_TARGETS: [&str; 8] = [
    "h2",
    "hyper",
    "hyper_util",
    "tonic",
    "tower",
    "rustls",
    "tokio",
    "mio",
];

impl HclogLayer {
    fn wants(&self, metadata: &tracing::Metadata<'_>) -> bool {
        let level = *metadata.level();
        if level > self.max_level {
            return false;
        }
        let root = metadata.target().split("::").next().unwrap_or("");
        level <= Level::WARN || !QUIET_TARGETS.contains(&root)
    }
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        self.wants(metadata)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if !self.wants(event.metadata()) {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let line = format_line(
            event.metadata().level(),
            fields.message.as_deref().unwrap_or(""),
            &self.module,
            SystemTime::now(),
            fields.rest,
        );
        if let Ok(mut sink) = self.sink.lock() {
            // One write per line so concurrent writers do not interleave; errors (EPIPE after the
            // host died) are dropped on purpose.
            let _ = sink.write_all(line.as_bytes());
            let _ = sink.flush();
        }
    }
}

/// Formats one hclog JSON line, newline included.
pub fn format_line(
    level: &Level,
    message: &str,
    module: &str,
    at: SystemTime,
    mut fields: Map<String, Value>,
) -> String {
    fields.insert("@level".into(), Value::String(level_name(level).into()));
    fields.insert("@message".into(), Value::String(message.into()));
    fields.insert("@timestamp".into(), Value::String(timestamp(at)));
    if !module.is_empty() {
        fields.insert("@module".into(), Value::String(module.into()));
    }
    let mut line = Value::Object(fields).to_string();
    line.push('\n');
    line
}

/// `2006-01-02T15:04:05.000000Z07:00` in UTC, the layout the host parses.
pub fn timestamp(at: SystemTime) -> String {
    let (secs, micros) = match at.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_micros()),
        Err(_) => (0, 0),
    };
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut s = String::with_capacity(27);
    let _ = write!(
        s,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        tod / 3600,
        tod % 3600 / 60,
        tod % 60
    );
    s
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::time::Duration;
    use tracing_subscriber::layer::SubscriberExt;

    #[test]
    fn timestamps_have_six_fraction_digits_and_z() {
        let t = UNIX_EPOCH + Duration::new(1_704_164_645, 123_456_789);
        assert_eq!(timestamp(t), "2024-01-02T03:04:05.123456Z");
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(timestamp(leap), "2000-02-29T00:00:00.000000Z");
    }

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn capture(max: Level, f: impl FnOnce()) -> Vec<Value> {
        let buf = Buf::default();
        let layer = HclogLayer::new("myplugin", max, Arc::new(Mutex::new(buf.clone())));
        let sub = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(sub, f);
        let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }

    #[test]
    fn events_become_hclog_json() {
        let lines = capture(Level::TRACE, || {
            tracing::info!(task_id = "t1", n = 3, ok = true, "started task");
            tracing::warn!("careful");
        });
        assert_eq!(lines.len(), 2);
        let l = &lines[0];
        assert_eq!(l["@level"], "info");
        assert_eq!(l["@message"], "started task");
        assert_eq!(l["@module"], "myplugin");
        assert_eq!(l["task_id"], "t1");
        assert_eq!(l["n"], 3);
        assert_eq!(l["ok"], true);
        let ts = l["@timestamp"].as_str().unwrap();
        assert_eq!(ts.len(), "2024-01-02T03:04:05.123456Z".len(), "{ts}");
        assert_eq!(lines[1]["@level"], "warn");
    }

    #[test]
    fn level_filter_applies() {
        let lines = capture(Level::INFO, || {
            tracing::debug!("hidden");
            tracing::error!("shown");
        });
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["@level"], "error");
    }

    #[test]
    fn transport_internals_are_quiet() {
        let lines = capture(Level::TRACE, || {
            tracing::trace!(target: "h2::codec", "frame");
            tracing::debug!(target: "hyper_util::client", "pool");
            tracing::warn!(target: "rustls::server", "odd client");
            tracing::trace!(target: "my_plugin::tasks", "mine");
        });
        let msgs: Vec<&str> = lines
            .iter()
            .map(|l| l["@message"].as_str().unwrap())
            .collect();
        assert_eq!(msgs, vec!["odd client", "mine"]);
    }

    #[test]
    fn reserved_keys_stay_strings() {
        let lines = capture(Level::TRACE, || {
            tracing::info!("@level" = 5, "@timestamp" = 1.5, message = 7);
        });
        let l = &lines[0];
        assert_eq!(l["@level"], "info");
        assert!(l["@timestamp"].is_string());
        assert_eq!(l["@message"], "7");
        assert_eq!(l["_@level"], 5);
    }

    #[test]
    fn broken_sink_does_not_panic() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
        }
        let layer = HclogLayer::new("m", Level::TRACE, Arc::new(Mutex::new(Broken)));
        let sub = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(sub, || tracing::error!("into the void"));
    }

    proptest! {
        #[test]
        fn any_message_and_fields_give_one_valid_line(
            msg in ".*",
            key in "[@a-z_]{1,8}",
            val in ".*",
            secs in 0u64..4_000_000_000,
            micros in 0u32..1_000_000,
        ) {
            let mut fields = Map::new();
            fields.insert(key, Value::String(val));
            let at = UNIX_EPOCH + Duration::new(secs, micros * 1000);
            let line = format_line(&Level::DEBUG, &msg, "m", at, fields);
            prop_assert!(line.ends_with('\n'));
            prop_assert_eq!(line.matches('\n').count(), 1);
            let v: Value = serde_json::from_str(&line).unwrap();
            for k in ["@level", "@message", "@timestamp", "@module"] {
                prop_assert!(v[k].is_string(), "{} not a string", k);
            }
            let ts = v["@timestamp"].as_str().unwrap();
            prop_assert_eq!(&ts[19..20], ".");
            prop_assert_eq!(ts.len(), 27);
        }
    }
}
