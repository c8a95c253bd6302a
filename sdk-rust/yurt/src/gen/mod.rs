//! Generated protobuf and gRPC code, nested by proto package so that the relative paths
//! (`super::super::...`) prost emits for cross-package references resolve.
//!
//! This file is hand-written; its siblings are produced by `make -C sdk-rust generate` and must
//! not be edited. Nothing here is public outside the crate: the SDK exposes hand-written types.
#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::all,
    clippy::pedantic,
    rustdoc::all
)]

pub(crate) mod hashicorp {
    pub(crate) mod nomad {
        pub(crate) mod plugins {
            pub(crate) mod base {
                pub(crate) mod proto {
                    include!("hashicorp.nomad.plugins.base.proto.rs");
                }
            }
            pub(crate) mod device {
                include!("hashicorp.nomad.plugins.device.rs");
            }
            pub(crate) mod drivers {
                pub(crate) mod proto {
                    include!("hashicorp.nomad.plugins.drivers.proto.rs");
                }
            }
            pub(crate) mod shared {
                pub(crate) mod hclspec {
                    include!("hashicorp.nomad.plugins.shared.hclspec.rs");
                }
                pub(crate) mod structs {
                    include!("hashicorp.nomad.plugins.shared.structs.rs");
                }
            }
        }
    }
}

/// go-plugin's internal services (`GRPCBroker`, `GRPCController`, `GRPCStdio`).
pub(crate) mod plugin {
    include!("plugin.rs");
}

/// Short aliases used by the hand-written code.
pub(crate) use hashicorp::nomad::plugins::base::proto as base;
pub(crate) use hashicorp::nomad::plugins::device;
pub(crate) use hashicorp::nomad::plugins::drivers::proto as drivers;
pub(crate) use hashicorp::nomad::plugins::shared::hclspec;
pub(crate) use hashicorp::nomad::plugins::shared::structs;
