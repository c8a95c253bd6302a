//! `__NAME__`: a Nomad device plugin written with the Yurt Rust SDK.
//!
//! It serves the devices its operator lists in the plugin config, as one group
//! (vendor/type/name `__MODULE__/generic/__MODULE__`). Reserving devices hands the task their
//! IDs in `__ENV___DEVICES`. Replace `groups`, `reserve` and `stats` with what your hardware
//! needs.
//!
//! ```hcl
//! plugin "__NAME__" { config { ids = ["dev0", "dev1"] } }
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use tokio::sync::watch;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::{IntervalStream, WatchStream};
use yurt::Error;
use yurt::base::{BasePlugin, PluginConfig, PluginInfo};
use yurt::device::{
    Device, DeviceGroup, DeviceGroupStats, DevicePlugin, DeviceStats, Reservation, StatObject,
    StatValue,
};
use yurt::driver::PluginStream;
use yurt::hclspec::{Spec, attr, default, literal, object};

const VENDOR: &str = "__MODULE__";
const TYPE: &str = "generic";
const MODEL: &str = "__MODULE__";
/// Lists the reserved device IDs in the task's environment.
const ENV_VAR: &str = "__ENV___DEVICES";

/// The plugin's `config {}` block in the Nomad client's `plugin "__NAME__"` stanza.
#[derive(Debug, Clone, Deserialize, PartialEq)]
struct Config {
    ids: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ids: vec!["dev0".into()],
        }
    }
}

/// The plugin: its current config, watched by the fingerprint and stats streams.
struct Devices {
    config: watch::Sender<Config>,
}

impl BasePlugin for Devices {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: "__NAME__".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    /// The schema Nomad decodes the plugin config with.
    fn config_schema(&self) -> Option<Spec> {
        Some(object([(
            "ids",
            default(attr("ids", "list(string)"), literal("[\"dev0\"]")),
        )]))
    }

    /// Nomad sends the plugin config (schema defaults filled in) before anything else. Reject a
    /// bad value with an error naming the field, the expected form and the value.
    async fn set_config(&self, config: PluginConfig) -> Result<(), Error> {
        let cfg: Config = config.decode()?;
        if let Some(i) = cfg.ids.iter().position(|id| id.trim().is_empty()) {
            return Err(Error::InvalidArgument(format!(
                "config.ids[{i}]: expected a non-empty device ID, got {:?}",
                cfg.ids[i]
            )));
        }
        self.config
            .send_if_modified(|c| std::mem::replace(c, cfg.clone()) != cfg);
        Ok(())
    }
}

fn groups(cfg: &Config) -> Vec<DeviceGroup> {
    vec![DeviceGroup {
        vendor: VENDOR.into(),
        device_type: TYPE.into(),
        name: MODEL.into(),
        devices: cfg
            .ids
            .iter()
            .map(|id| Device {
                id: id.clone(),
                healthy: true,
                health_description: String::new(),
                pci_bus_id: None,
            })
            .collect(),
        attributes: BTreeMap::from([("count".into(), (cfg.ids.len() as i64).into())]),
    }]
}

impl DevicePlugin for Devices {
    /// The device groups at once, then again whenever they change. Keep the stream open:
    /// Nomad treats its end as the plugin going away.
    fn fingerprint(&self) -> PluginStream<Result<Vec<DeviceGroup>, Error>> {
        let s = WatchStream::new(self.config.subscribe()).map(|c| Ok(groups(&c)));
        Box::pin(s.chain(tokio_stream::pending()))
    }

    /// Prepares devices for a task: the environment variables, mounts and device nodes it
    /// gets. An unknown ID is an error that names it.
    async fn reserve(&self, device_ids: Vec<String>) -> Result<Reservation, Error> {
        let cfg = self.config.borrow().clone();
        let unknown: Vec<&str> = device_ids
            .iter()
            .filter(|id| !cfg.ids.contains(id))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(Error::other(format!(
                "unknown device IDs: {}",
                unknown.join(", ")
            )));
        }
        let mut r = Reservation::default();
        r.envs.insert(ENV_VAR.into(), device_ids.join(","));
        Ok(r)
    }

    /// Per-device statistics every `interval`, until Nomad stops reading.
    fn stats(&self, interval: Duration) -> PluginStream<Result<Vec<DeviceGroupStats>, Error>> {
        let config = self.config.subscribe();
        let s = IntervalStream::new(tokio::time::interval(interval)).map(move |_| {
            let cfg = config.borrow().clone();
            let value = StatValue {
                int_numerator: Some(1),
                unit: "tasks".into(),
                desc: "example statistic".into(),
                ..Default::default()
            };
            let instances = cfg
                .ids
                .iter()
                .map(|id| {
                    let stats = StatObject {
                        attributes: BTreeMap::from([("example".into(), value.clone())]),
                        ..Default::default()
                    };
                    let summary = value.clone();
                    let timestamp = SystemTime::now();
                    (
                        id.clone(),
                        DeviceStats {
                            summary,
                            stats,
                            timestamp,
                        },
                    )
                })
                .collect();
            Ok(vec![DeviceGroupStats {
                vendor: VENDOR.into(),
                device_type: TYPE.into(),
                name: MODEL.into(),
                instances,
            }])
        });
        Box::pin(s)
    }
}

/// Serves the plugin over go-plugin until Nomad shuts it down. Log with `tracing` (stderr),
/// never print to stdout: it carries the handshake.
fn main() -> ExitCode {
    yurt::serve_device(Devices {
        config: watch::channel(Config::default()).0,
    })
}
