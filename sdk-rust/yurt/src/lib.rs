//! Yurt: write HashiCorp Nomad task-driver and device plugins in Rust.
//!
//! The crate speaks go-plugin's handshake and gRPC services and Nomad's plugin API v0.1.0, so a
//! binary built with it loads from a Nomad agent's `plugin_dir` unchanged.

#[allow(unused_imports)]
mod r#gen;

#[cfg(test)]
mod gen_smoke_tests;
