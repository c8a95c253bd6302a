//! The plugin's configuration: the agent's `plugin "nvidia-gpu" { config { ... } }` block.
//!
//! ```hcl
//! config {
//!   enabled            = true          # false: no devices, Reserve fails
//!   ignored_gpu_ids    = ["GPU-..."]   # GPUs or MIG instances never fingerprinted
//!   fingerprint_period = "1m"          # how often NVML is polled for changes
//!   fake_nvml          = "fake.json"   # testing only: simulate NVML (see nvml::fake)
//! }
//! ```

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use yurt::hclspec::{self, Spec};

/// Default `fingerprint_period`.
pub const DEFAULT_PERIOD: Duration = Duration::from_secs(60);

/// The config schema sent to Nomad.
pub fn schema() -> Spec {
    hclspec::object([
        (
            "enabled",
            hclspec::default(hclspec::attr("enabled", "bool"), hclspec::literal("true")),
        ),
        (
            "ignored_gpu_ids",
            hclspec::default(
                hclspec::attr("ignored_gpu_ids", "list(string)"),
                hclspec::literal("[]"),
            ),
        ),
        (
            "fingerprint_period",
            hclspec::default(
                hclspec::attr("fingerprint_period", "string"),
                hclspec::literal("\"1m\""),
            ),
        ),
        ("fake_nvml", hclspec::attr("fake_nvml", "string")),
    ])
}

/// The msgpack form. Every field is optional: Nomad fills defaults from the schema, but a host
/// may send nothing, and absent attributes arrive as nil.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Wire {
    enabled: Option<bool>,
    ignored_gpu_ids: Option<Vec<String>>,
    fingerprint_period: Option<String>,
    fake_nvml: Option<String>,
}

/// The decoded, checked configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Whether the plugin reports devices at all.
    pub enabled: bool,
    /// UUIDs never fingerprinted.
    pub ignored_gpu_ids: BTreeSet<String>,
    /// NVML poll period.
    pub fingerprint_period: Duration,
    /// A fake NVML description to use instead of the real library.
    pub fake_nvml: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            ignored_gpu_ids: BTreeSet::new(),
            fingerprint_period: DEFAULT_PERIOD,
            fake_nvml: None,
        }
    }
}

/// Decodes and checks the msgpack config; errors name the field.
pub fn decode(msgpack: &[u8]) -> Result<Config, String> {
    let w: Wire = yurt::config::decode("config", msgpack).map_err(|e| e.to_string())?;
    let fingerprint_period = match w.fingerprint_period.as_deref() {
        None | Some("") => DEFAULT_PERIOD,
        Some(s) => {
            let d = yurt::config::parse_go_duration(s)
                .map_err(|e| format!("config: field \"fingerprint_period\": {e}"))?;
            if d.is_zero() {
                return Err(format!(
                    "config: field \"fingerprint_period\": expected a positive duration, got {s:?}"
                ));
            }
            d
        }
    };
    let ignored = w.ignored_gpu_ids.unwrap_or_default();
    if let Some(i) = ignored.iter().position(|s| s.trim().is_empty()) {
        return Err(format!(
            "config: field \"ignored_gpu_ids[{i}]\": expected a GPU or MIG UUID, got an empty string"
        ));
    }
    Ok(Config {
        enabled: w.enabled.unwrap_or(true),
        ignored_gpu_ids: ignored.into_iter().collect(),
        fingerprint_period,
        fake_nvml: w.fake_nvml.filter(|p| !p.is_empty()).map(PathBuf::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize, Default)]
    struct Msg {
        #[serde(skip_serializing_if = "Option::is_none")]
        enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        ignored_gpu_ids: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        fingerprint_period: Option<String>,
        fake_nvml: Option<String>,
    }

    fn enc(m: &Msg) -> Vec<u8> {
        yurt::config::encode("test", m).unwrap()
    }

    #[test]
    fn empty_config_means_defaults() {
        assert_eq!(decode(&[]).unwrap(), Config::default());
        assert_eq!(decode(&enc(&Msg::default())).unwrap(), Config::default());
    }

    #[test]
    fn values_decode() {
        let c = decode(&enc(&Msg {
            enabled: Some(false),
            ignored_gpu_ids: Some(vec!["GPU-1".into(), "MIG-2".into()]),
            fingerprint_period: Some("1m30s".into()),
            fake_nvml: Some("/tmp/f.json".into()),
        }))
        .unwrap();
        assert!(!c.enabled);
        assert_eq!(c.ignored_gpu_ids.len(), 2);
        assert_eq!(c.fingerprint_period, Duration::from_secs(90));
        assert_eq!(c.fake_nvml, Some(PathBuf::from("/tmp/f.json")));
    }

    #[test]
    fn bad_values_name_the_field() {
        let e = decode(&enc(&Msg {
            fingerprint_period: Some("soon".into()),
            ..Default::default()
        }))
        .unwrap_err();
        assert!(
            e.starts_with("config: field \"fingerprint_period\": "),
            "{e}"
        );
        let e = decode(&enc(&Msg {
            fingerprint_period: Some("0s".into()),
            ..Default::default()
        }))
        .unwrap_err();
        assert!(e.contains("positive"), "{e}");
        let e = decode(&enc(&Msg {
            ignored_gpu_ids: Some(vec!["GPU-1".into(), " ".into()]),
            ..Default::default()
        }))
        .unwrap_err();
        assert!(e.contains("ignored_gpu_ids[1]"), "{e}");
        let e = decode(&[0x81, 0xa7, b'e', b'n', b'a', b'b', b'l', b'e', b'd', 0x05]).unwrap_err();
        assert!(e.contains("enabled"), "{e}");
    }

    proptest::proptest! {
        /// The config arrives from the host as bytes: any input is an error or a config, never a
        /// panic, and every error names what it was decoding.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            if let Err(e) = decode(&bytes) {
                proptest::prop_assert!(e.starts_with("config"), "{}", e);
            }
        }

        #[test]
        fn any_duration_string_is_handled(s in "\\PC{0,12}") {
            let m = enc(&Msg { fingerprint_period: Some(s), ..Default::default() });
            if let Ok(c) = decode(&m) {
                proptest::prop_assert!(!c.fingerprint_period.is_zero());
            }
        }
    }

    #[test]
    fn schema_is_valid() {
        schema().validate().unwrap();
    }
}
