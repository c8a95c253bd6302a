//! What a task gets for the GPUs Nomad reserved for it.
//!
//! `NVIDIA_VISIBLE_DEVICES` lists the reserved UUIDs (the NVIDIA container runtime reads it), and
//! the device nodes the CUDA driver needs are passed as device specs: `/dev/nvidiaN` for each
//! GPU (the parent's for a MIG instance), `/dev/nvidiactl` and `/dev/nvidia-uvm`. An ID this
//! plugin did not fingerprint is an error naming it, as Nomad's NVIDIA plugin does.

use std::collections::{BTreeMap, BTreeSet};

use yurt::Error;
use yurt::device::{DeviceSpec, Reservation};

use crate::inventory::Inventory;

/// The environment variable the NVIDIA container runtime reads.
pub const VISIBLE_DEVICES: &str = "NVIDIA_VISIBLE_DEVICES";

fn node(path: String) -> DeviceSpec {
    DeviceSpec {
        task_path: path.clone(),
        host_path: path,
        permissions: "rwm".into(),
    }
}

/// Reserves `ids` from the devices in `inv`. An empty list is an empty reservation.
pub fn reserve(inv: &Inventory, ids: &[String]) -> Result<Reservation, Error> {
    if ids.is_empty() {
        return Ok(Reservation::default());
    }
    let unknown: Vec<&str> = ids
        .iter()
        .filter(|id| inv.get(id).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        let ignored: Vec<&str> = unknown
            .iter()
            .copied()
            .filter(|id| inv.ignored.iter().any(|i| i == id))
            .collect();
        let mut msg = format!("unknown device IDs: {}", unknown.join(","));
        if !ignored.is_empty() {
            msg.push_str(&format!(
                " ({} listed in ignored_gpu_ids)",
                ignored.join(",")
            ));
        }
        return Err(Error::other(msg));
    }
    let mut minors = BTreeSet::new();
    for id in ids {
        if let Some(m) = inv.get(id).and_then(|d| d.minor) {
            minors.insert(m);
        }
    }
    let mut devices: Vec<DeviceSpec> = minors
        .into_iter()
        .map(|m| node(format!("/dev/nvidia{m}")))
        .collect();
    devices.push(node("/dev/nvidiactl".into()));
    devices.push(node("/dev/nvidia-uvm".into()));
    Ok(Reservation {
        envs: BTreeMap::from([(VISIBLE_DEVICES.to_string(), ids.join(","))]),
        mounts: Vec::new(),
        devices,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::scan;
    use crate::testing::{fake, h100, mig_gpu};

    fn inventory() -> Inventory {
        let f = fake(vec![
            h100("GPU-0"),
            mig_gpu("GPU-1", &["MIG-a", "MIG-b"]),
            h100("GPU-9"),
        ]);
        scan(&f, &BTreeSet::from(["GPU-9".to_string()]), None).unwrap()
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reserving_sets_visible_devices_and_the_device_nodes() {
        let r = reserve(&inventory(), &ids(&["MIG-b", "GPU-0", "MIG-a"])).unwrap();
        assert_eq!(r.envs[VISIBLE_DEVICES], "MIG-b,GPU-0,MIG-a");
        let nodes: Vec<_> = r.devices.iter().map(|d| d.host_path.as_str()).collect();
        assert_eq!(
            nodes,
            [
                "/dev/nvidia0",
                "/dev/nvidia1",
                "/dev/nvidiactl",
                "/dev/nvidia-uvm"
            ]
        );
        assert!(
            r.devices
                .iter()
                .all(|d| d.task_path == d.host_path && d.permissions == "rwm")
        );
        assert!(r.mounts.is_empty());
    }

    #[test]
    fn unknown_and_ignored_ids_are_errors_naming_them() {
        let e = reserve(&inventory(), &ids(&["GPU-0", "GPU-x", "GPU-9"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown device IDs: GPU-x,GPU-9 (GPU-9 listed in ignored_gpu_ids)"
        );
    }

    #[test]
    fn an_empty_request_is_an_empty_reservation() {
        assert_eq!(reserve(&inventory(), &[]).unwrap(), Reservation::default());
    }
}
