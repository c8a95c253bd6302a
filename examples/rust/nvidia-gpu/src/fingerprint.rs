//! Turning an [`Inventory`] into Nomad device groups, and telling what changed between two.
//!
//! Devices are grouped by model name (one group per model, as Nomad's NVIDIA plugin does; MIG
//! instances of a profile form their own group because their name carries the profile). Group
//! attributes come from the group's first device and use units from Nomad's `UnitIndex`:
//! `memory`/`bar1` in MiB, `power` in W (the power management limit), `cores_clock` and
//! `memory_clock` in MHz, `pci_bandwidth` in MB/s; `driver_version` and `cuda_version` are
//! strings and `mig` is a bool, all without units.

use std::collections::BTreeMap;

use yurt::base::Attribute;
use yurt::device::{Device, DeviceGroup};

use crate::inventory::{GpuDevice, Inventory};

/// Vendor reported in every group.
pub const VENDOR: &str = "nvidia";
/// Device type reported in every group.
pub const DEVICE_TYPE: &str = "gpu";

const MIB: u64 = 1024 * 1024;

/// Usable bandwidth of one PCIe lane in MB/s by generation, after line encoding (8b/10b up to
/// gen 2, 128b/130b for gen 3 to 5, FLIT for gen 6), rounded down.
pub fn pcie_lane_mb_s(generation: u32) -> Option<u64> {
    match generation {
        1 => Some(250),
        2 => Some(500),
        3 => Some(984),
        4 => Some(1969),
        5 => Some(3938),
        6 => Some(7563),
        _ => None,
    }
}

/// Maximum PCIe bandwidth of a link, MB/s; `None` for an unknown generation or no lanes.
pub fn pcie_bandwidth_mb_s(generation: u32, width: u32) -> Option<u64> {
    if width == 0 {
        return None;
    }
    pcie_lane_mb_s(generation).map(|lane| lane * u64::from(width))
}

fn int(v: u64) -> Attribute {
    Attribute::from(i64::try_from(v).unwrap_or(i64::MAX))
}

/// The attributes of a group whose first device is `d`.
pub fn attributes(d: &GpuDevice, inv: &Inventory) -> BTreeMap<String, Attribute> {
    let mut a = BTreeMap::new();
    if let Some(b) = d.memory_bytes {
        a.insert("memory".into(), int(b / MIB).with_unit("MiB"));
    }
    if let Some(mw) = d.power_limit_mw {
        a.insert("power".into(), int(u64::from(mw) / 1000).with_unit("W"));
    }
    if let Some(b) = d.bar1_bytes {
        a.insert("bar1".into(), int(b / MIB).with_unit("MiB"));
    }
    if let Some(c) = d.cores_clock_mhz {
        a.insert("cores_clock".into(), Attribute::from(c).with_unit("MHz"));
    }
    if let Some(c) = d.memory_clock_mhz {
        a.insert("memory_clock".into(), Attribute::from(c).with_unit("MHz"));
    }
    if let Some(bw) = d.pcie.and_then(|(g, w)| pcie_bandwidth_mb_s(g, w)) {
        a.insert("pci_bandwidth".into(), int(bw).with_unit("MB/s"));
    }
    if let Some(v) = &inv.driver_version {
        a.insert("driver_version".into(), Attribute::from(v.as_str()));
    }
    if let Some(v) = &inv.cuda_version {
        a.insert("cuda_version".into(), Attribute::from(v.as_str()));
    }
    a.insert("mig".into(), Attribute::from(d.parent.is_some()));
    a
}

/// Device groups for Nomad, sorted by name, devices in NVML order.
pub fn groups(inv: &Inventory) -> Vec<DeviceGroup> {
    let mut by_name: BTreeMap<&str, DeviceGroup> = BTreeMap::new();
    for d in &inv.devices {
        let g = by_name
            .entry(d.name.as_str())
            .or_insert_with(|| DeviceGroup {
                vendor: VENDOR.into(),
                device_type: DEVICE_TYPE.into(),
                name: d.name.clone(),
                devices: Vec::new(),
                attributes: attributes(d, inv),
            });
        g.devices.push(Device {
            id: d.uuid.clone(),
            healthy: d.healthy,
            health_description: d.health.clone(),
            pci_bus_id: d.pci_bus_id.clone(),
        });
    }
    by_name.into_values().collect()
}

/// Marks every device unhealthy with `why`, e.g. when NVML stops answering at all.
pub fn all_unhealthy(groups: &[DeviceGroup], why: &str) -> Vec<DeviceGroup> {
    let mut out = groups.to_vec();
    for g in &mut out {
        for d in &mut g.devices {
            d.healthy = false;
            d.health_description = format!("unhealthy: {why}");
        }
    }
    out
}

/// What changed between two fingerprints, by device ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// IDs that appeared.
    pub added: Vec<String>,
    /// IDs that disappeared.
    pub removed: Vec<String>,
    /// IDs whose health, description, group or group attributes changed.
    pub changed: Vec<String>,
}

impl Diff {
    /// Nothing changed: no message needs to be sent.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

fn index(groups: &[DeviceGroup]) -> BTreeMap<&str, (&DeviceGroup, &Device)> {
    groups
        .iter()
        .flat_map(|g| g.devices.iter().map(move |d| (d.id.as_str(), (g, d))))
        .collect()
}

/// Compares two fingerprints.
pub fn diff(before: &[DeviceGroup], after: &[DeviceGroup]) -> Diff {
    let (a, b) = (index(before), index(after));
    let mut d = Diff::default();
    for (id, (ga, da)) in &a {
        match b.get(id) {
            None => d.removed.push((*id).to_string()),
            Some((gb, db)) => {
                if da != db || ga.name != gb.name || ga.attributes != gb.attributes {
                    d.changed.push((*id).to_string());
                }
            }
        }
    }
    d.added = b
        .keys()
        .filter(|id| !a.contains_key(*id))
        .map(|id| (*id).to_string())
        .collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::scan;
    use crate::testing::{fake, h100, mig_gpu};
    use std::collections::BTreeSet;
    use yurt::base::AttributeValue;

    fn fingerprint(gpus: Vec<crate::nvml::fake::FakeGpu>) -> Vec<DeviceGroup> {
        groups(&scan(&fake(gpus), &BTreeSet::new(), None).unwrap())
    }

    #[test]
    fn attributes_carry_nomad_units_and_converted_values() {
        let g = fingerprint(vec![h100("GPU-0")]);
        assert_eq!(g.len(), 1);
        let a = &g[0].attributes;
        let get = |k: &str| {
            let x = &a[k];
            (x.value.clone(), x.unit.as_str())
        };
        assert_eq!(get("memory"), (AttributeValue::Int(81559), "MiB"));
        assert_eq!(get("power"), (AttributeValue::Int(700), "W"));
        assert_eq!(get("bar1"), (AttributeValue::Int(131072), "MiB"));
        assert_eq!(get("cores_clock"), (AttributeValue::Int(1980), "MHz"));
        assert_eq!(get("memory_clock"), (AttributeValue::Int(2619), "MHz"));
        assert_eq!(
            get("pci_bandwidth"),
            (AttributeValue::Int(3938 * 16), "MB/s")
        );
        assert_eq!(
            get("driver_version"),
            (AttributeValue::String("550.54.15".into()), "")
        );
        assert_eq!(
            get("cuda_version"),
            (AttributeValue::String("12.4".into()), "")
        );
        assert_eq!(get("mig"), (AttributeValue::Bool(false), ""));
        // Nomad's Attribute.Validate: units only on numbers, and only known ones.
        let known = ["MiB", "W", "MHz", "MB/s"];
        for (k, v) in a {
            match v.value {
                AttributeValue::String(_) | AttributeValue::Bool(_) => {
                    assert_eq!(v.unit, "", "{k}")
                }
                _ => assert!(known.contains(&v.unit.as_str()), "{k}: {}", v.unit),
            }
        }
    }

    #[test]
    fn pcie_bandwidth_per_generation() {
        assert_eq!(pcie_bandwidth_mb_s(3, 16), Some(15744));
        assert_eq!(pcie_bandwidth_mb_s(4, 8), Some(15752));
        assert_eq!(pcie_bandwidth_mb_s(0, 16), None);
        assert_eq!(pcie_bandwidth_mb_s(5, 0), None);
    }

    #[test]
    fn groups_are_per_model_with_uuid_ids_and_bus_ids() {
        let mut a100 = h100("GPU-2");
        a100.name = "NVIDIA A100-SXM4-40GB".into();
        let g = fingerprint(vec![
            h100("GPU-0"),
            mig_gpu("GPU-1", &["MIG-a", "MIG-b"]),
            a100,
            h100("GPU-3"),
        ]);
        let shape: Vec<(&str, Vec<&str>)> = g
            .iter()
            .map(|g| {
                (
                    g.name.as_str(),
                    g.devices.iter().map(|d| d.id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("NVIDIA A100-SXM4-40GB", vec!["GPU-2"]),
                ("NVIDIA H100 80GB HBM3", vec!["GPU-0", "GPU-3"]),
                ("NVIDIA H100 80GB HBM3 MIG 1g.10gb", vec!["MIG-a", "MIG-b"]),
            ]
        );
        assert!(
            g.iter()
                .all(|g| g.vendor == "nvidia" && g.device_type == "gpu")
        );
        assert_eq!(g[2].attributes["memory"].value, AttributeValue::Int(9984));
        assert_eq!(g[2].attributes["mig"].value, AttributeValue::Bool(true));
        assert_eq!(
            g[1].devices[0].pci_bus_id.as_deref(),
            Some("00000000:01:00.0")
        );
        yurt::device::validate_groups(&g).unwrap();
    }

    #[test]
    fn diff_reports_added_removed_and_health_changes() {
        // Fixed bus ids: by default the fake derives them from the NVML index.
        let at = |uuid: &str, bus: &str| crate::nvml::fake::FakeGpu {
            pci_bus_id: Some(bus.into()),
            ..h100(uuid)
        };
        let before = fingerprint(vec![at("GPU-0", "0:1"), at("GPU-1", "0:2")]);
        assert!(diff(&before, &before).is_empty());
        let after = fingerprint(vec![at("GPU-1", "0:2"), at("GPU-2", "0:3")]);
        let d = diff(&before, &after);
        assert_eq!(d.added, ["GPU-2"]);
        assert_eq!(d.removed, ["GPU-0"]);
        assert!(d.changed.is_empty());

        let sick = all_unhealthy(&before, "nvmlDeviceGetCount_v2: NVML_ERROR_UNKNOWN (999)");
        let d = diff(&before, &sick);
        assert_eq!(d.changed, ["GPU-0", "GPU-1"]);
        assert!(!sick[0].devices[0].healthy);
        assert_eq!(
            sick[0].devices[0].health_description,
            "unhealthy: nvmlDeviceGetCount_v2: NVML_ERROR_UNKNOWN (999)"
        );
        assert!(diff(&[], &before).added.len() == 2);
    }
}
