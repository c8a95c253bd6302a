//! Device plugins: the typed [`DevicePlugin`] trait and its types, served as Nomad's
//! `hashicorp.nomad.plugins.device.DevicePlugin`.
//!
//! Nomad keeps one Fingerprint stream open per device plugin; ending it, or sending an error,
//! ends device management for that plugin, so a fingerprint stream should live as long as the
//! process. Device ids must be stable across restarts.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio_stream::StreamExt;
use tonic::{Request, Response, Status};

use crate::base::{self, Attribute, BasePlugin, from_duration, timestamp};
use crate::driver::PluginStream;
use crate::error::Error;
use crate::r#gen::{device as pb, structs};
use crate::goplugin::{BoxStream, ShutdownSignal, until_shutdown};

/// A group of identical devices.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceGroup {
    /// Vendor, e.g. `nvidia`. Required.
    pub vendor: String,
    /// Type, e.g. `gpu`. Required.
    pub device_type: String,
    /// Model name. Required.
    pub name: String,
    /// The devices.
    pub devices: Vec<Device>,
    /// Group attributes (`memory` in MiB, ...).
    pub attributes: BTreeMap<String, Attribute>,
}

/// One device.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Device {
    /// Stable id.
    pub id: String,
    /// Usable for scheduling.
    pub healthy: bool,
    /// Why (un)healthy.
    pub health_description: String,
    /// PCI bus id, if any.
    pub pci_bus_id: Option<String>,
}

/// A host path mounted for a reservation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReservedMount {
    /// Path inside the task.
    pub task_path: String,
    /// Path on the host.
    pub host_path: String,
    /// Read-only.
    pub read_only: bool,
}

/// A device node exposed to the task.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceSpec {
    /// Path inside the task.
    pub task_path: String,
    /// Path on the host.
    pub host_path: String,
    /// cgroup permissions, e.g. `rwm`.
    pub permissions: String,
}

/// What a task gets for its reserved devices.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reservation {
    /// Environment variables.
    pub envs: BTreeMap<String, String>,
    /// Mounts.
    pub mounts: Vec<ReservedMount>,
    /// Device nodes.
    pub devices: Vec<DeviceSpec>,
}

/// A statistic: a ratio (numerator/denominator), a string or a bool, with a unit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatValue {
    /// Float numerator.
    pub float_numerator: Option<f64>,
    /// Float denominator.
    pub float_denominator: Option<f64>,
    /// Integer numerator.
    pub int_numerator: Option<i64>,
    /// Integer denominator.
    pub int_denominator: Option<i64>,
    /// String value.
    pub string: Option<String>,
    /// Bool value.
    pub bool: Option<bool>,
    /// Unit.
    pub unit: String,
    /// Description.
    pub desc: String,
}

impl StatValue {
    fn to_proto(&self) -> structs::StatValue {
        structs::StatValue {
            float_numerator_val: self.float_numerator,
            float_denominator_val: self.float_denominator,
            int_numerator_val: self.int_numerator,
            int_denominator_val: self.int_denominator,
            string_val: self.string.clone(),
            bool_val: self.bool,
            unit: self.unit.clone(),
            desc: self.desc.clone(),
        }
    }
}

/// Nested statistics.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatObject {
    /// Sub-objects.
    pub nested: BTreeMap<String, StatObject>,
    /// Values.
    pub attributes: BTreeMap<String, StatValue>,
}

impl StatObject {
    fn to_proto(&self) -> structs::StatObject {
        structs::StatObject {
            nested: self
                .nested
                .iter()
                .map(|(k, v)| (k.clone(), v.to_proto()))
                .collect(),
            attributes: self
                .attributes
                .iter()
                .map(|(k, v)| (k.clone(), v.to_proto()))
                .collect(),
        }
    }
}

/// Statistics of one device.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceStats {
    /// Headline value.
    pub summary: StatValue,
    /// Everything else.
    pub stats: StatObject,
    /// When sampled.
    pub timestamp: SystemTime,
}

/// Statistics of one group, by device id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceGroupStats {
    /// Vendor, as fingerprinted.
    pub vendor: String,
    /// Type, as fingerprinted.
    pub device_type: String,
    /// Name, as fingerprinted.
    pub name: String,
    /// Per device id.
    pub instances: BTreeMap<String, DeviceStats>,
}

/// A Nomad device plugin.
pub trait DevicePlugin: BasePlugin {
    /// Device groups now, then whenever they change. An `Err` ends device management.
    fn fingerprint(&self) -> PluginStream<Result<Vec<DeviceGroup>, Error>>;

    /// Reserves devices for a task. Unknown ids must be an error.
    fn reserve(
        &self,
        device_ids: Vec<String>,
    ) -> impl Future<Output = Result<Reservation, Error>> + Send;

    /// Statistics every `interval` (1 s when Nomad sends none). Optional: the default answers
    /// Unimplemented, as the optional-RPC table in `device.proto` says.
    fn stats(&self, interval: Duration) -> PluginStream<Result<Vec<DeviceGroupStats>, Error>> {
        let _ = interval;
        Box::pin(tokio_stream::once(Err(Error::Unimplemented(
            "Stats is not implemented by this plugin".into(),
        ))))
    }
}

/// Checks what Nomad's device manager would reject in a fingerprint.
pub fn validate_groups(groups: &[DeviceGroup]) -> Result<(), Error> {
    for (i, g) in groups.iter().enumerate() {
        for (field, v) in [
            ("vendor", &g.vendor),
            ("device_type", &g.device_type),
            ("name", &g.name),
        ] {
            if v.is_empty() {
                return Err(Error::other(format!(
                    "device_group[{i}].{field}: expected a non-empty string, got \"\""
                )));
            }
        }
        for (j, d) in g.devices.iter().enumerate() {
            if d.id.is_empty() {
                return Err(Error::other(format!(
                    "device_group[{i}].devices[{j}].id: expected a non-empty id, got \"\""
                )));
            }
        }
    }
    Ok(())
}

fn group_to_proto(g: &DeviceGroup) -> pb::DeviceGroup {
    pb::DeviceGroup {
        vendor: g.vendor.clone(),
        device_type: g.device_type.clone(),
        device_name: g.name.clone(),
        devices: g
            .devices
            .iter()
            .map(|d| pb::DetectedDevice {
                id: d.id.clone(),
                healthy: d.healthy,
                health_description: d.health_description.clone(),
                hw_locality: d.pci_bus_id.as_ref().map(|p| pb::DeviceLocality {
                    pci_bus_id: p.clone(),
                }),
            })
            .collect(),
        attributes: base::attributes_to_proto(&g.attributes),
    }
}

pub(crate) struct DeviceServer<P> {
    pub(crate) plugin: Arc<P>,
    pub(crate) shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl<P: DevicePlugin> pb::device_plugin_server::DevicePlugin for DeviceServer<P> {
    type FingerprintStream = BoxStream<pb::FingerprintResponse>;

    async fn fingerprint(
        &self,
        _req: Request<pb::FingerprintRequest>,
    ) -> Result<Response<Self::FingerprintStream>, Status> {
        let s = self.plugin.fingerprint().map(|r| {
            let groups = r?;
            validate_groups(&groups)?;
            Ok(pb::FingerprintResponse {
                device_group: groups.iter().map(group_to_proto).collect(),
            })
        });
        // Stop after the first error: Nomad treats it as the end of the stream anyway.
        let s = s.take_while_inclusive_ok();
        Ok(Response::new(until_shutdown(s, self.shutdown.clone())))
    }

    async fn reserve(
        &self,
        req: Request<pb::ReserveRequest>,
    ) -> Result<Response<pb::ReserveResponse>, Status> {
        let ids = req.into_inner().device_ids;
        let r = self.plugin.reserve(ids).await?;
        Ok(Response::new(pb::ReserveResponse {
            container_res: Some(pb::ContainerReservation {
                envs: r.envs.into_iter().collect(),
                mounts: r
                    .mounts
                    .into_iter()
                    .map(|m| pb::Mount {
                        task_path: m.task_path,
                        host_path: m.host_path,
                        read_only: m.read_only,
                    })
                    .collect(),
                devices: r
                    .devices
                    .into_iter()
                    .map(|d| pb::DeviceSpec {
                        task_path: d.task_path,
                        host_path: d.host_path,
                        permissions: d.permissions,
                    })
                    .collect(),
            }),
        }))
    }

    type StatsStream = BoxStream<pb::StatsResponse>;

    async fn stats(
        &self,
        req: Request<pb::StatsRequest>,
    ) -> Result<Response<Self::StatsStream>, Status> {
        let interval = from_duration(req.into_inner().collection_interval.as_ref())
            .filter(|d| !d.is_zero())
            .unwrap_or(Duration::from_secs(1));
        let s = self.plugin.stats(interval).map(|r| {
            let groups = r?;
            Ok(pb::StatsResponse {
                groups: groups
                    .iter()
                    .map(|g| pb::DeviceGroupStats {
                        vendor: g.vendor.clone(),
                        r#type: g.device_type.clone(),
                        name: g.name.clone(),
                        instance_stats: g
                            .instances
                            .iter()
                            .map(|(id, st)| {
                                (
                                    id.clone(),
                                    pb::DeviceStats {
                                        summary: Some(st.summary.to_proto()),
                                        stats: Some(st.stats.to_proto()),
                                        timestamp: Some(timestamp(st.timestamp)),
                                    },
                                )
                            })
                            .collect(),
                    })
                    .collect(),
            })
        });
        let s = s.take_while_inclusive_ok();
        Ok(Response::new(until_shutdown(s, self.shutdown.clone())))
    }
}

/// Ends a stream right after its first error.
trait TakeWhileOk<T>: tokio_stream::Stream<Item = Result<T, Status>> + Sized {
    fn take_while_inclusive_ok(self) -> impl tokio_stream::Stream<Item = Result<T, Status>> {
        let mut done = false;
        self.take_while(move |r| {
            if done {
                return false;
            }
            done = r.is_err();
            true
        })
    }
}
impl<T, S: tokio_stream::Stream<Item = Result<T, Status>>> TakeWhileOk<T> for S {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_validation_names_the_field() {
        let mut g = DeviceGroup {
            vendor: "acme".into(),
            device_type: "fpga".into(),
            name: "x1".into(),
            devices: vec![Device {
                id: "a".into(),
                healthy: true,
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(validate_groups(std::slice::from_ref(&g)).is_ok());
        g.devices.push(Device::default());
        let e = validate_groups(std::slice::from_ref(&g)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "device_group[0].devices[1].id: expected a non-empty id, got \"\""
        );
        g.vendor.clear();
        let e = validate_groups(&[g]).unwrap_err();
        assert!(e.to_string().starts_with("device_group[0].vendor"), "{e}");
    }

    #[test]
    fn group_conversion_keeps_everything() {
        let g = DeviceGroup {
            vendor: "acme".into(),
            device_type: "fpga".into(),
            name: "x1".into(),
            devices: vec![Device {
                id: "a".into(),
                healthy: false,
                health_description: "hot".into(),
                pci_bus_id: Some("0000:01:00.0".into()),
            }],
            attributes: BTreeMap::from([(
                "memory".into(),
                Attribute::from(512u32).with_unit("MiB"),
            )]),
        };
        let p = group_to_proto(&g);
        assert_eq!(p.device_name, "x1");
        assert_eq!(
            p.devices[0].hw_locality.as_ref().unwrap().pci_bus_id,
            "0000:01:00.0"
        );
        assert!(!p.devices[0].healthy);
        assert_eq!(p.attributes["memory"].unit, "MiB");
    }
}
