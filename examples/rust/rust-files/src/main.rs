//! A Nomad device plugin that serves the devices its operator lists in config:
//!
//! ```hcl
//! plugin "rust-files" {
//!   config {
//!     vendor  = "acme"
//!     type    = "fpga"
//!     model   = "x1"
//!     ids     = ["fpga0", "fpga1"]
//!     env_var = "ACME_VISIBLE_DEVICES"
//!   }
//! }
//! ```
//!
//! Fingerprints are sent at once and again whenever the config changes; ids are whatever the
//! operator wrote, so they are stable across restarts. Reserving an unknown id is an error.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use tokio::sync::watch;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::{IntervalStream, WatchStream};
use yurt::Error;
use yurt::base::{BasePlugin, PluginConfig, PluginInfo};
use yurt::device::{
    Device, DeviceGroup, DeviceGroupStats, DevicePlugin, DeviceStats, Reservation, StatObject,
    StatValue,
};
use yurt::driver::PluginStream;
use yurt::hclspec::{Spec, attr, default, literal, object};

#[derive(Debug, Clone, Deserialize, PartialEq)]
struct Config {
    vendor: String,
    #[serde(rename = "type")]
    device_type: String,
    model: String,
    ids: Vec<String>,
    env_var: String,
}

struct StaticDevices {
    config: watch::Sender<Option<Config>>,
}

impl BasePlugin for StaticDevices {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: "rust-files".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    fn config_schema(&self) -> Option<Spec> {
        Some(object([
            (
                "vendor",
                default(attr("vendor", "string"), literal("\"yurt\"")),
            ),
            (
                "type",
                default(attr("type", "string"), literal("\"static\"")),
            ),
            (
                "model",
                default(attr("model", "string"), literal("\"example\"")),
            ),
            ("ids", attr("ids", "list(string)").required()),
            (
                "env_var",
                default(
                    attr("env_var", "string"),
                    literal("\"YURT_VISIBLE_DEVICES\""),
                ),
            ),
        ]))
    }

    async fn set_config(&self, config: PluginConfig) -> Result<(), Error> {
        let cfg: Config = config.decode()?;
        if cfg.ids.iter().any(String::is_empty) {
            return Err(Error::InvalidArgument(
                "config: field \"ids\": expected non-empty device ids".into(),
            ));
        }
        tracing::info!(devices = cfg.ids.len(), "configured");
        self.config.send_replace(Some(cfg));
        Ok(())
    }
}

impl StaticDevices {
    fn groups(cfg: &Config) -> Vec<DeviceGroup> {
        vec![DeviceGroup {
            vendor: cfg.vendor.clone(),
            device_type: cfg.device_type.clone(),
            name: cfg.model.clone(),
            devices: cfg
                .ids
                .iter()
                .map(|id| Device {
                    id: id.clone(),
                    healthy: true,
                    health_description: "configured".into(),
                    pci_bus_id: None,
                })
                .collect(),
            attributes: BTreeMap::from([("count".into(), (cfg.ids.len() as i64).into())]),
        }]
    }
}

impl DevicePlugin for StaticDevices {
    fn fingerprint(&self) -> PluginStream<Result<Vec<DeviceGroup>, Error>> {
        // Nothing until configured, then one message per distinct config.
        let s = WatchStream::new(self.config.subscribe())
            .filter_map(|c| c)
            .map(|c| Ok(Self::groups(&c)));
        Box::pin(s)
    }

    async fn reserve(&self, device_ids: Vec<String>) -> Result<Reservation, Error> {
        let cfg = self
            .config
            .borrow()
            .clone()
            .ok_or_else(|| Error::other("device plugin is not configured"))?;
        let unknown: Vec<&str> = device_ids
            .iter()
            .filter(|id| !cfg.ids.contains(id))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(Error::other(format!(
                "unknown device IDs: {}",
                unknown.join(",")
            )));
        }
        let mut r = Reservation::default();
        if !device_ids.is_empty() {
            r.envs.insert(cfg.env_var.clone(), device_ids.join(","));
        }
        Ok(r)
    }

    fn stats(&self, interval: Duration) -> PluginStream<Result<Vec<DeviceGroupStats>, Error>> {
        let config = self.config.subscribe();
        let s = IntervalStream::new(tokio::time::interval(interval)).filter_map(move |_| {
            let cfg = config.borrow().clone()?;
            let now = SystemTime::now();
            let instances = cfg
                .ids
                .iter()
                .map(|id| {
                    let healthy = StatValue {
                        bool: Some(true),
                        desc: "device is configured".into(),
                        ..Default::default()
                    };
                    let stats = StatObject {
                        attributes: BTreeMap::from([("healthy".into(), healthy.clone())]),
                        ..Default::default()
                    };
                    (
                        id.clone(),
                        DeviceStats {
                            summary: healthy,
                            stats,
                            timestamp: now,
                        },
                    )
                })
                .collect();
            Some(Ok(vec![DeviceGroupStats {
                vendor: cfg.vendor.clone(),
                device_type: cfg.device_type.clone(),
                name: cfg.model.clone(),
                instances,
            }]))
        });
        Box::pin(s)
    }
}

fn main() -> ExitCode {
    yurt::serve_device(StaticDevices {
        config: watch::channel(None).0,
    })
}
