//! `nvidia-gpu`: a Nomad device plugin for NVIDIA GPUs and MIG instances, built on the Yurt
//! Rust SDK.
//!
//! It loads NVML at run time ([`nvml::dynamic`]), fingerprints every GPU (or, with MIG enabled,
//! every MIG instance) by UUID in one group per model ([`fingerprint`]), reports health and
//! statistics ([`stats`]), and answers Reserve with `NVIDIA_VISIBLE_DEVICES` and the device
//! nodes ([`reserve`]). Without NVML or without GPUs it fingerprints no devices and says why in
//! its log. [`nvml::fake`] simulates NVML from a JSON file so all of this runs without a GPU.
//!
//! ```
//! use std::collections::BTreeSet;
//! use nvidia_gpu::nvml::fake::{FakeNvml, FakeSpec};
//! use nvidia_gpu::{fingerprint, inventory, reserve};
//!
//! let spec: FakeSpec = serde_json::from_str(
//!     r#"{"gpus": [{"uuid": "GPU-0", "name": "NVIDIA H100 80GB HBM3", "memory_mib": 81559}]}"#,
//! )?;
//! let nvml = FakeNvml::from_spec("example", spec)?;
//! let inv = inventory::scan(&nvml, &BTreeSet::new(), None)?;
//! let groups = fingerprint::groups(&inv);
//! assert_eq!(groups[0].name, "NVIDIA H100 80GB HBM3");
//! assert_eq!(groups[0].devices[0].id, "GPU-0");
//! assert_eq!(groups[0].attributes["memory"].unit, "MiB");
//! let r = reserve::reserve(&inv, &["GPU-0".to_string()])?;
//! assert_eq!(r.envs["NVIDIA_VISIBLE_DEVICES"], "GPU-0");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod config;
pub mod fingerprint;
pub mod inventory;
pub mod nvml;
pub mod plugin;
pub mod reserve;
pub mod stats;

#[cfg(test)]
mod testing;

pub use plugin::{NvidiaPlugin, PLUGIN_NAME};
