//! What every Nomad plugin serves (`BasePlugin`): identity, config schema, config.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use tonic::{Request, Response, Status};

use crate::config::{self, DecodeError};
use crate::error::Error;
use crate::r#gen::{base as pb, structs};
use crate::hclspec::Spec;

/// The Nomad plugin API version this SDK implements, for drivers and devices alike.
pub const API_VERSION: &str = crate::constants::PLUGIN_API_VERSION;

/// Who the plugin is. The name is what jobs use (`driver = "<name>"`); the version must parse as
/// a semantic version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    /// Plugin name as Nomad registers it.
    pub name: String,
    /// Plugin version, e.g. `"0.1.0"`.
    pub version: String,
}

/// Configuration received through `SetConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginConfig {
    /// msgpack of the operator's `config {}` block, shaped by [`BasePlugin::config_schema`].
    pub msgpack: Vec<u8>,
    /// The API version Nomad picked (`v0.1.0`).
    pub api_version: String,
    /// Agent settings, sent to drivers at run time; `None` during validation and for devices.
    pub agent: Option<AgentConfig>,
}

impl PluginConfig {
    /// Decodes the config into `T`; errors name the field.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        config::decode("config", &self.msgpack)
    }
}

/// The parts of the Nomad agent's configuration a driver receives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgentConfig {
    /// Lowest port Nomad hands out to tasks.
    pub client_min_port: u32,
    /// Highest port Nomad hands out to tasks.
    pub client_max_port: u32,
    /// The host's total CPU compute in MHz from the agent's topology, 0 when not sent. As
    /// Nomad's client/lib/numalib `Topology.TotalCompute()`: the `cpu_total_compute` override
    /// when set, else the sum over cores of `Core.MHz()` (base speed, else max, else guess).
    pub total_compute_mhz: u64,
    /// The number of cores in the agent's topology, 0 when not sent.
    pub cores: u32,
}

fn total_compute(t: &pb::ClientTopology) -> u64 {
    if t.override_total_compute > 0 {
        return t.override_total_compute;
    }
    t.cores
        .iter()
        .map(|c| {
            if c.base_speed > 0 {
                c.base_speed
            } else if c.max_speed > 0 {
                c.max_speed
            } else {
                c.guess_speed
            }
        })
        .sum()
}

/// The base contract: identity, schema, configuration.
pub trait BasePlugin: Send + Sync + 'static {
    /// Name and version.
    fn info(&self) -> PluginInfo;

    /// The plugin config schema; `None` means the plugin takes no config.
    fn config_schema(&self) -> Option<Spec> {
        None
    }

    /// Receives the config. Called at least twice per process during validation; must be cheap
    /// and idempotent.
    fn set_config(&self, config: PluginConfig) -> impl Future<Output = Result<(), Error>> + Send {
        let _ = config;
        async { Ok(()) }
    }
}

/// A typed attribute value (fingerprints, device groups).
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    /// A float.
    Float(f64),
    /// An integer.
    Int(i64),
    /// A string.
    String(String),
    /// A bool.
    Bool(bool),
}

/// An attribute with an optional unit (`MiB`, `MHz`, ...; not allowed on strings and bools).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The value.
    pub value: AttributeValue,
    /// Unit, empty for none.
    pub unit: String,
}

impl Attribute {
    /// Adds a unit.
    pub fn with_unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = unit.into();
        self
    }
    pub(crate) fn to_proto(&self) -> structs::Attribute {
        use structs::attribute::Value as V;
        structs::Attribute {
            unit: self.unit.clone(),
            value: Some(match &self.value {
                AttributeValue::Float(f) => V::FloatVal(*f),
                AttributeValue::Int(i) => V::IntVal(*i),
                AttributeValue::String(s) => V::StringVal(s.clone()),
                AttributeValue::Bool(b) => V::BoolVal(*b),
            }),
        }
    }
}

macro_rules! attr_from {
    ($t:ty, $v:ident, $conv:expr) => {
        impl From<$t> for Attribute {
            fn from(x: $t) -> Self {
                Attribute {
                    value: AttributeValue::$v($conv(x)),
                    unit: String::new(),
                }
            }
        }
    };
}
attr_from!(&str, String, String::from);
attr_from!(String, String, std::convert::identity);
attr_from!(i64, Int, std::convert::identity);
attr_from!(u32, Int, i64::from);
attr_from!(f64, Float, std::convert::identity);
attr_from!(bool, Bool, std::convert::identity);

pub(crate) fn attributes_to_proto(
    a: &BTreeMap<String, Attribute>,
) -> std::collections::HashMap<String, structs::Attribute> {
    a.iter().map(|(k, v)| (k.clone(), v.to_proto())).collect()
}

pub(crate) fn timestamp(t: SystemTime) -> prost_types::Timestamp {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    prost_types::Timestamp {
        seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        nanos: i32::try_from(d.subsec_nanos()).unwrap_or(0),
    }
}

/// Go's zero `time.Time`, 0001-01-01T00:00:00Z, in seconds since the Unix epoch.
pub(crate) const GO_ZERO_TIME_SECONDS: i64 = -62_135_596_800;

/// A timestamp that is always set: `None` becomes Go's zero time. Nomad's own plugin server
/// sends `TaskStatus` times this way and its Go client fails on a missing one (hashicorp/nomad
/// v2.0.5 `plugins/drivers/utils.go` `taskStatusToProto` / `taskStatusFromProto`).
pub(crate) fn timestamp_or_go_zero(t: Option<SystemTime>) -> prost_types::Timestamp {
    t.map(timestamp).unwrap_or(prost_types::Timestamp {
        seconds: GO_ZERO_TIME_SECONDS,
        nanos: 0,
    })
}

#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn from_timestamp(t: &prost_types::Timestamp) -> Option<SystemTime> {
    let secs = u64::try_from(t.seconds).ok()?;
    let nanos = u32::try_from(t.nanos).ok()?;
    UNIX_EPOCH.checked_add(Duration::new(secs, nanos))
}

/// A wire duration as a std one; negative or absent gives `None`.
pub(crate) fn from_duration(d: Option<&prost_types::Duration>) -> Option<Duration> {
    let d = d?;
    let secs = u64::try_from(d.seconds).ok()?;
    let nanos = u32::try_from(d.nanos).ok()?;
    Some(Duration::new(secs, nanos))
}

/// Serves `BasePlugin` for any plugin kind.
pub(crate) struct BaseServer<P> {
    pub(crate) plugin: Arc<P>,
    pub(crate) kind: pb::PluginType,
}

#[tonic::async_trait]
impl<P: BasePlugin> pb::base_plugin_server::BasePlugin for BaseServer<P> {
    async fn plugin_info(
        &self,
        _req: Request<pb::PluginInfoRequest>,
    ) -> Result<Response<pb::PluginInfoResponse>, Status> {
        let info = self.plugin.info();
        Ok(Response::new(pb::PluginInfoResponse {
            r#type: self.kind as i32,
            plugin_api_versions: vec![API_VERSION.to_string()],
            plugin_version: info.version,
            name: info.name,
        }))
    }

    async fn config_schema(
        &self,
        _req: Request<pb::ConfigSchemaRequest>,
    ) -> Result<Response<pb::ConfigSchemaResponse>, Status> {
        Ok(Response::new(pb::ConfigSchemaResponse {
            spec: self.plugin.config_schema().map(|s| s.to_proto()),
        }))
    }

    async fn set_config(
        &self,
        req: Request<pb::SetConfigRequest>,
    ) -> Result<Response<pb::SetConfigResponse>, Status> {
        let req = req.into_inner();
        let agent = req
            .nomad_config
            .and_then(|n| n.driver)
            .map(|d| AgentConfig {
                client_min_port: d.client_min_port,
                client_max_port: d.client_max_port,
                total_compute_mhz: d.topology.as_ref().map_or(0, total_compute),
                cores: d
                    .topology
                    .as_ref()
                    .map_or(0, |t| u32::try_from(t.cores.len()).unwrap_or(u32::MAX)),
            });
        let cfg = PluginConfig {
            msgpack: req.msgpack_config,
            api_version: req.plugin_api_version,
            agent,
        };
        self.plugin.set_config(cfg).await?;
        Ok(Response::new(pb::SetConfigResponse {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_compute_follows_nomads_topology() {
        let core = |base, max, guess| pb::ClientTopologyCore {
            base_speed: base,
            max_speed: max,
            guess_speed: guess,
            ..Default::default()
        };
        let mut t = pb::ClientTopology {
            cores: vec![core(2000, 3500, 0), core(0, 3000, 0), core(0, 0, 1000)],
            ..Default::default()
        };
        // Core.MHz(): base speed, else max speed, else the guess.
        assert_eq!(total_compute(&t), 6000);
        t.override_total_compute = 9999;
        assert_eq!(total_compute(&t), 9999);
    }

    #[test]
    fn attributes_convert() {
        use structs::attribute::Value as V;
        let a = Attribute::from(512u32).with_unit("MiB").to_proto();
        assert_eq!((a.value, a.unit.as_str()), (Some(V::IntVal(512)), "MiB"));
        assert_eq!(
            Attribute::from("x").to_proto().value,
            Some(V::StringVal("x".into()))
        );
        assert_eq!(
            Attribute::from(true).to_proto().value,
            Some(V::BoolVal(true))
        );
        assert_eq!(
            Attribute::from(1.5).to_proto().value,
            Some(V::FloatVal(1.5))
        );
    }

    #[test]
    fn times_convert_both_ways_and_reject_negatives() {
        let t = UNIX_EPOCH + Duration::new(1_700_000_000, 5);
        assert_eq!(from_timestamp(&timestamp(t)), Some(t));
        let neg = prost_types::Timestamp {
            seconds: -1,
            nanos: 0,
        };
        assert_eq!(from_timestamp(&neg), None);
        let d = prost_types::Duration {
            seconds: 2,
            nanos: 500,
        };
        assert_eq!(from_duration(Some(&d)), Some(Duration::new(2, 500)));
        assert_eq!(
            from_duration(Some(&prost_types::Duration {
                seconds: -3,
                nanos: 0
            })),
            None
        );
        assert_eq!(from_duration(None), None);
    }
}
