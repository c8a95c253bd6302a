//! Generated protobuf code for `proto/yurt/supervise/v1/supervise.proto`.
//!
//! This file is hand-written; its sibling is produced by `make -C sdk-rust generate` and must
//! not be edited.
#![allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]

include!("yurt.supervise.v1.rs");
