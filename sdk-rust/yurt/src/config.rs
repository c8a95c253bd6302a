//! Decoding the msgpack Nomad sends: plugin config, task driver config, and `driver_state`.
//!
//! Nomad encodes the cty value that `hcldec` produced from the plugin's [`crate::hclspec`]
//! (objects are maps with sorted keys, numbers are int64 when exact, else float64, null is nil).
//! Decoding goes through serde, and every error names the field path that failed, e.g.
//! `driver config: field "args[1]": invalid type: integer `3`, expected a string`.

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A decoding (or encoding) failure, with the field path where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What was being decoded: "config", "driver config", "driver_state", ...
    pub what: &'static str,
    /// Dotted path to the field (`a.b[2]`), empty at the top level.
    pub path: String,
    /// What was wrong there.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.what, self.message)
        } else {
            write!(f, "{}: field {:?}: {}", self.what, self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes msgpack bytes into `T`. Empty input decodes as an empty map, so a struct whose
/// fields all have defaults accepts "no config".
pub fn decode<T: DeserializeOwned>(what: &'static str, bytes: &[u8]) -> Result<T, DecodeError> {
    const EMPTY_MAP: &[u8] = &[0x80];
    let input = if bytes.is_empty() { EMPTY_MAP } else { bytes };
    let mut de = rmp_serde::Deserializer::new(input);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        DecodeError {
            what,
            path: if path == "." { String::new() } else { path },
            message: e.into_inner().to_string(),
        }
    })
}

/// Encodes `value` as msgpack with field names (maps), the form [`decode`] reads back.
pub fn encode<T: Serialize>(what: &'static str, value: &T) -> Result<Vec<u8>, DecodeError> {
    rmp_serde::to_vec_named(value).map_err(|e| DecodeError {
        what,
        path: String::new(),
        message: e.to_string(),
    })
}

/// Parses a Go duration string (`"300ms"`, `"1.5h"`, `"2h45m"`); negative values are refused.
pub fn parse_go_duration(s: &str) -> Result<Duration, String> {
    let bad =
        |why: &str| format!("expected a duration like \"5s\" or \"1m30s\", got {s:?} ({why})");
    let t = s.trim();
    if t == "0" {
        return Ok(Duration::ZERO);
    }
    if t.is_empty() {
        return Err(bad("empty"));
    }
    if t.starts_with('-') {
        return Err(bad("negative"));
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    let mut total = 0f64;
    let mut rest = t;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| bad("missing unit"))?;
        if num_len == 0 {
            return Err(bad("missing number"));
        }
        let value: f64 = rest[..num_len].parse().map_err(|_| bad("bad number"))?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            other => return Err(bad(&format!("unknown unit {other:?}"))),
        };
        total += value * scale;
        rest = &rest[unit_len..];
    }
    Duration::try_from_secs_f64(total).map_err(|_| bad("out of range"))
}

/// `#[serde(deserialize_with = "yurt::config::go_duration")]` for Go duration strings.
pub fn go_duration<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let s: String = serde::Deserialize::deserialize(d)?;
    parse_go_duration(&s).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, Serialize, PartialEq, Default)]
    #[serde(default)]
    struct Inner {
        name: String,
        weight: f64,
    }

    #[derive(Debug, Deserialize, Serialize, PartialEq, Default)]
    #[serde(default)]
    struct Cfg {
        command: String,
        args: Vec<String>,
        count: u32,
        enabled: bool,
        env: BTreeMap<String, String>,
        inner: Option<Inner>,
    }

    /// What cty/msgpack produces for `{args = ["a", 3], command = "x"}`: a map with sorted keys.
    fn bytes_with_int_arg() -> Vec<u8> {
        let v = rmpv::Value::Map(vec![
            (
                "args".into(),
                rmpv::Value::Array(vec!["a".into(), rmpv::Value::from(3)]),
            ),
            ("command".into(), "x".into()),
        ]);
        let mut out = Vec::new();
        rmpv::encode::write_value(&mut out, &v).unwrap();
        out
    }

    #[test]
    fn decodes_cty_shaped_maps() {
        let v = rmpv::Value::Map(vec![
            ("command".into(), "/bin/sleep".into()),
            ("count".into(), rmpv::Value::from(2)),
            ("enabled".into(), true.into()),
            ("inner".into(), rmpv::Value::Nil),
        ]);
        let mut b = Vec::new();
        rmpv::encode::write_value(&mut b, &v).unwrap();
        let c: Cfg = decode("config", &b).unwrap();
        assert_eq!(c.command, "/bin/sleep");
        assert_eq!(c.count, 2);
        assert!(c.enabled);
        assert_eq!(c.inner, None);
    }

    #[test]
    fn errors_name_the_field() {
        let err = decode::<Cfg>("driver config", &bytes_with_int_arg()).unwrap_err();
        assert_eq!(err.path, "args[1]");
        let text = err.to_string();
        assert!(
            text.starts_with("driver config: field \"args[1]\": "),
            "{text}"
        );
        assert!(text.contains("expected a string"), "{text}");

        let v = rmpv::Value::Map(vec![(
            "inner".into(),
            rmpv::Value::Map(vec![("weight".into(), "heavy".into())]),
        )]);
        let mut b = Vec::new();
        rmpv::encode::write_value(&mut b, &v).unwrap();
        let err = decode::<Cfg>("config", &b).unwrap_err();
        assert_eq!(err.path, "inner.weight");
    }

    #[test]
    fn integers_become_floats() {
        // cty sends whole numbers as ints even for a float field.
        let v = rmpv::Value::Map(vec![
            ("name".into(), "n".into()),
            ("weight".into(), rmpv::Value::from(4)),
        ]);
        let mut b = Vec::new();
        rmpv::encode::write_value(&mut b, &v).unwrap();
        let i: Inner = decode("config", &b).unwrap();
        assert_eq!(i.weight, 4.0);
    }

    #[test]
    fn empty_input_is_an_empty_map() {
        assert_eq!(decode::<Cfg>("config", &[]).unwrap(), Cfg::default());
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Strict {
            command: String,
        }
        let err = decode::<Strict>("config", &[]).unwrap_err();
        assert!(err.to_string().contains("command"), "{err}");
    }

    #[test]
    fn truncated_input_is_an_error() {
        let b = bytes_with_int_arg();
        assert!(decode::<Cfg>("config", &b[..b.len() - 2]).is_err());
    }

    #[test]
    fn go_durations() {
        let ok: &[(&str, Duration)] = &[
            ("0", Duration::ZERO),
            ("5s", Duration::from_secs(5)),
            ("1m30s", Duration::from_secs(90)),
            ("250ms", Duration::from_millis(250)),
            ("1.5h", Duration::from_secs(5400)),
            ("2h45m", Duration::from_secs(9900)),
        ];
        for (s, d) in ok {
            assert_eq!(parse_go_duration(s).unwrap(), *d, "{s}");
        }
        for s in ["", "5", "s", "-1s", "5 parsecs", "1.2.3s"] {
            let e = parse_go_duration(s).unwrap_err();
            assert!(e.contains("expected a duration"), "{s}: {e}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = decode::<Cfg>("config", &bytes);
            let _ = decode::<BTreeMap<String, Vec<u32>>>("config", &bytes);
        }

        #[test]
        fn round_trips(command in ".*", args in proptest::collection::vec(".*", 0..4), count: u32) {
            let c = Cfg { command, args, count, ..Default::default() };
            let b = encode("config", &c).unwrap();
            prop_assert_eq!(decode::<Cfg>("config", &b).unwrap(), c);
        }

        #[test]
        fn durations_never_panic(s in ".{0,20}") {
            let _ = parse_go_duration(&s);
        }
    }
}
