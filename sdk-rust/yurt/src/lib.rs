//! Yurt: write HashiCorp Nomad task-driver and device plugins in Rust.
//!
//! A binary built with this crate speaks go-plugin's handshake and gRPC services and Nomad's
//! plugin API v0.1.0, so it loads from a Nomad agent's `plugin_dir` unchanged. Plugin authors
//! implement typed async traits ([`driver::DriverPlugin`] or [`device::DevicePlugin`], both on
//! top of [`base::BasePlugin`]) and call [`serve_driver`] or [`serve_device`] from `main`. The
//! generated protobuf code stays private.
//!
//! ```no_run
//! use yurt::base::{BasePlugin, PluginInfo};
//! use yurt::device::{DeviceGroup, DeviceGroupStats, DevicePlugin, Reservation};
//! use yurt::driver::PluginStream;
//! use yurt::Error;
//!
//! struct NoDevices;
//!
//! impl BasePlugin for NoDevices {
//!     fn info(&self) -> PluginInfo {
//!         PluginInfo { name: "none".into(), version: "0.1.0".into() }
//!     }
//! }
//!
//! impl DevicePlugin for NoDevices {
//!     fn fingerprint(&self) -> PluginStream<Result<Vec<DeviceGroup>, Error>> {
//!         Box::pin(tokio_stream::once(Ok(Vec::new())).chain(tokio_stream::pending()))
//!     }
//!     async fn reserve(&self, ids: Vec<String>) -> Result<Reservation, Error> {
//!         Err(Error::other(format!("unknown device IDs: {}", ids.join(","))))
//!     }
//!     fn stats(&self, _every: std::time::Duration) -> PluginStream<Result<Vec<DeviceGroupStats>, Error>> {
//!         Box::pin(tokio_stream::pending())
//!     }
//! }
//! # use tokio_stream::StreamExt as _;
//!
//! fn main() -> std::process::ExitCode {
//!     yurt::serve_device(NoDevices)
//! }
//! ```

#![deny(missing_docs)]

#[allow(unused_imports)]
mod r#gen;

pub mod base;
pub mod config;
pub mod device;
pub mod driver;
pub mod hclspec;
pub mod supervise;
pub mod testing;

mod constants;
mod entry;
mod error;
mod goplugin;
mod stdoutguard;
mod typeexpr;

use std::process::ExitCode;
use std::sync::Arc;

pub use constants::{
    APP_PROTOCOL_VERSION, CORE_PROTOCOL_VERSION, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE,
};
pub use entry::{ServeError, ServeOptions};
pub use error::{Error, TASK_NOT_FOUND, recoverable_detail};
pub use goplugin::Transport;

use goplugin::ShutdownSignal;
use tonic::service::RoutesBuilder;

fn check_schemas<P: base::BasePlugin>(
    plugin: &P,
    extra: Option<hclspec::Spec>,
) -> Result<(), ServeError> {
    if let Some(s) = plugin.config_schema() {
        s.validate()
            .map_err(|e| ServeError::Plugin(format!("config schema: {e}")))?;
    }
    if let Some(s) = extra {
        s.validate()
            .map_err(|e| ServeError::Plugin(format!("task config schema: {e}")))?;
    }
    Ok(())
}

pub(crate) fn driver_routes<D: driver::DriverPlugin>(
    plugin: Arc<D>,
    shutdown: &ShutdownSignal,
) -> Result<RoutesBuilder, ServeError> {
    check_schemas(plugin.as_ref(), Some(plugin.task_config_schema()))?;
    let mut routes = RoutesBuilder::default();
    routes
        .add_service(
            r#gen::base::base_plugin_server::BasePluginServer::new(base::BaseServer {
                plugin: plugin.clone(),
                kind: r#gen::base::PluginType::Driver,
            })
            .max_decoding_message_size(goplugin::MAX_MESSAGE),
        )
        .add_service(
            r#gen::drivers::driver_server::DriverServer::new(driver::DriverServer {
                driver: plugin,
                shutdown: shutdown.clone(),
            })
            .max_decoding_message_size(goplugin::MAX_MESSAGE)
            .max_encoding_message_size(goplugin::MAX_MESSAGE),
        );
    Ok(routes)
}

pub(crate) fn device_routes<P: device::DevicePlugin>(
    plugin: Arc<P>,
    shutdown: &ShutdownSignal,
) -> Result<RoutesBuilder, ServeError> {
    check_schemas(plugin.as_ref(), None)?;
    let mut routes = RoutesBuilder::default();
    routes
        .add_service(
            r#gen::base::base_plugin_server::BasePluginServer::new(base::BaseServer {
                plugin: plugin.clone(),
                kind: r#gen::base::PluginType::Device,
            })
            .max_decoding_message_size(goplugin::MAX_MESSAGE),
        )
        .add_service(
            r#gen::device::device_plugin_server::DevicePluginServer::new(device::DeviceServer {
                plugin,
                shutdown: shutdown.clone(),
            })
            .max_decoding_message_size(goplugin::MAX_MESSAGE)
            .max_encoding_message_size(goplugin::MAX_MESSAGE),
        );
    Ok(routes)
}

/// Runs a task-driver plugin process: checks the go-plugin environment, prints the handshake,
/// serves until the host calls Shutdown, and returns the exit code for `main`.
pub fn serve_driver<D: driver::DriverPlugin>(plugin: D) -> ExitCode {
    serve_driver_with(plugin, ServeOptions::default())
}

/// [`serve_driver`] with options.
pub fn serve_driver_with<D: driver::DriverPlugin>(plugin: D, opts: ServeOptions) -> ExitCode {
    let plugin = Arc::new(plugin);
    entry::serve_process(opts, move |sd| driver_routes(plugin, sd))
}

/// Runs a device plugin process; see [`serve_driver`].
pub fn serve_device<P: device::DevicePlugin>(plugin: P) -> ExitCode {
    serve_device_with(plugin, ServeOptions::default())
}

/// [`serve_device`] with options.
pub fn serve_device_with<P: device::DevicePlugin>(plugin: P, opts: ServeOptions) -> ExitCode {
    let plugin = Arc::new(plugin);
    entry::serve_process(opts, move |sd| device_routes(plugin, sd))
}

/// The README as a doc test. Its code blocks are what `yurt new` generates (`rust,ignore` here:
/// scripts/scaffold-check.sh builds, tests and runs them through yurt-conformance).
#[doc = include_str!("../README.md")] // sdk-rust/README.md (a symlink in the repository)
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[cfg(test)]
mod gen_smoke_tests;

#[cfg(test)]
mod server_tests;
