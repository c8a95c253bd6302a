//! Task drivers: the typed [`DriverPlugin`] trait and the types it speaks, served as Nomad's
//! `hashicorp.nomad.plugins.drivers.proto.Driver`.
//!
//! Two Nomad facts shape this API. `RecoverTask` runs in a fresh plugin process and receives the
//! handle without the task's driver config, so everything a driver needs to find its task again
//! belongs in [`TaskHandle::driver_state`]. And Nomad recognises an unknown task only by the text
//! `task not found for given id`, which [`Error::TaskNotFound`](crate::Error::TaskNotFound) sends.
//!
//! Floor plan (the same in the Go, Python and Rust SDKs, for `base`, `driver` and `device`):
//! `types` holds the public types, `plugin` the trait a plugin implements, `convert` (private)
//! the conversions to and from the generated wire types, and `server` (private) the gRPC
//! service over the trait. The go-plugin runtime (handshake, AutoMTLS, hclog, stdio) is the
//! private `goplugin` module. Everything public is re-exported here, at `yurt::driver::*`.

mod convert;
mod plugin;
pub(crate) mod server;
mod types;

pub use plugin::DriverPlugin;
pub(crate) use server::DriverServer;
pub use types::*;

#[cfg(test)]
mod tests;
