//! `nvidia-gpu`: a Nomad device plugin for NVIDIA GPUs and MIG instances, built on the Yurt
//! Rust SDK.
//!
//! It loads NVML at run time ([`nvml::dynamic`]), fingerprints every GPU (or, with MIG enabled,
//! every MIG instance) by UUID in one group per model ([`fingerprint`]), reports health and
//! statistics ([`stats`]), and answers Reserve with `NVIDIA_VISIBLE_DEVICES` and the device
//! nodes ([`reserve`]). Without NVML or without GPUs it fingerprints no devices and says why in
//! its log. [`nvml::fake`] simulates NVML from a JSON file so all of this runs without a GPU.

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
