//! One statistics sample of every fingerprinted device.
//!
//! Per device: `GPU utilization` and `Memory utilization` (%), `Memory state` (MiB used of
//! total, also the summary), `Memory used` and `Memory free` (MiB), `Temperature` (C),
//! `Power usage` (W drawn of the limit), `ECC errors corrected` and `ECC errors uncorrected`
//! (volatile counters). A value NVML cannot give is the string `N/A` with the same unit, as
//! Nomad's NVIDIA plugin reports it. MIG instances report their own memory; temperature, power
//! and ECC come from the parent GPU (shared hardware), and utilisation is `N/A` because NVML
//! has no per-instance utilisation.

use std::collections::BTreeMap;
use std::time::SystemTime;

use yurt::device::{DeviceGroupStats, DeviceStats, StatObject, StatValue};

use crate::fingerprint::{DEVICE_TYPE, VENDOR};
use crate::inventory::{GpuDevice, Inventory};
use crate::nvml::{EccKind, Handle, Nvml, NvmlResult};

const MIB: u64 = 1024 * 1024;

fn not_available(unit: &str, desc: &str) -> StatValue {
    StatValue {
        string: Some("N/A".into()),
        unit: unit.into(),
        desc: desc.into(),
        ..Default::default()
    }
}

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn ratio(num: Option<u64>, den: Option<u64>, unit: &str, desc: &str) -> StatValue {
    match num {
        Some(n) => StatValue {
            int_numerator: Some(int(n)),
            int_denominator: den.map(int),
            unit: unit.into(),
            desc: desc.into(),
            ..Default::default()
        },
        None => not_available(unit, desc),
    }
}

/// The handle to ask about shared hardware: the parent's for a MIG instance.
fn hardware(d: &GpuDevice) -> Handle {
    d.parent.as_ref().map_or(d.handle, |p| p.0)
}

/// One device's statistics.
pub fn device_stats(nvml: &dyn Nvml, d: &GpuDevice, at: SystemTime) -> DeviceStats {
    let mut attrs = BTreeMap::new();
    // NVML has no utilisation per MIG instance; the parent's would be misleading.
    let util = match d.parent {
        Some(_) => None,
        None => nvml.utilization(d.handle).ok(),
    };
    let mut put = |k: &str, v: StatValue| attrs.insert(k.to_string(), v);
    put(
        "GPU utilization",
        ratio(util.map(|u| u64::from(u.gpu)), None, "%", "GPU utilization"),
    );
    put(
        "Memory utilization",
        ratio(
            util.map(|u| u64::from(u.memory)),
            None,
            "%",
            "Memory utilization",
        ),
    );
    let mem = nvml.memory(d.handle).ok();
    let memory_state = ratio(
        mem.map(|m| m.used / MIB),
        mem.map(|m| m.total / MIB),
        "MiB",
        "Used memory / total memory",
    );
    put("Memory state", memory_state.clone());
    put(
        "Memory used",
        ratio(mem.map(|m| m.used / MIB), None, "MiB", "Used memory"),
    );
    put(
        "Memory free",
        ratio(mem.map(|m| m.free / MIB), None, "MiB", "Free memory"),
    );
    let hw = hardware(d);
    let temp = nvml.temperature_c(hw).ok().map(u64::from);
    put("Temperature", ratio(temp, None, "C", "GPU temperature"));
    let watts = |r: NvmlResult<u32>| r.ok().map(|mw| u64::from(mw) / 1000);
    put(
        "Power usage",
        ratio(
            watts(nvml.power_usage_mw(hw)),
            watts(nvml.power_limit_mw(hw)),
            "W",
            "Power draw / power management limit",
        ),
    );
    put(
        "ECC errors corrected",
        ratio(
            nvml.ecc_errors(hw, EccKind::Corrected).ok(),
            None,
            "#",
            "Corrected ECC errors since the driver loaded",
        ),
    );
    put(
        "ECC errors uncorrected",
        ratio(
            nvml.ecc_errors(hw, EccKind::Uncorrected).ok(),
            None,
            "#",
            "Uncorrected ECC errors since the driver loaded",
        ),
    );
    DeviceStats {
        summary: memory_state,
        stats: StatObject {
            nested: BTreeMap::new(),
            attributes: attrs,
        },
        timestamp: at,
    }
}

/// Statistics of every device in `inv`, grouped as the fingerprint groups them.
pub fn collect(nvml: &dyn Nvml, inv: &Inventory, at: SystemTime) -> Vec<DeviceGroupStats> {
    let mut by_name: BTreeMap<&str, DeviceGroupStats> = BTreeMap::new();
    for d in &inv.devices {
        let g = by_name
            .entry(d.name.as_str())
            .or_insert_with(|| DeviceGroupStats {
                vendor: VENDOR.into(),
                device_type: DEVICE_TYPE.into(),
                name: d.name.clone(),
                instances: BTreeMap::new(),
            });
        g.instances
            .insert(d.uuid.clone(), device_stats(nvml, d, at));
    }
    by_name.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::scan;
    use crate::testing::{fake, h100, mig_gpu};
    use std::collections::BTreeSet;

    #[test]
    fn every_device_gets_converted_stats_and_the_summary_is_memory() {
        let f = fake(vec![h100("GPU-0"), mig_gpu("GPU-1", &["MIG-a"])]);
        let inv = scan(&f, &BTreeSet::new(), None).unwrap();
        let groups = collect(&f, &inv, SystemTime::UNIX_EPOCH);
        assert_eq!(groups.len(), 2);
        let gpu = &groups[0].instances["GPU-0"];
        let a = &gpu.stats.attributes;
        assert_eq!(a["GPU utilization"].int_numerator, Some(37));
        assert_eq!(a["Memory utilization"].int_numerator, Some(12));
        assert_eq!(
            (
                a["Memory state"].int_numerator,
                a["Memory state"].int_denominator
            ),
            (Some(1024), Some(81559))
        );
        assert_eq!(a["Memory free"].int_numerator, Some(81559 - 1024));
        assert_eq!(a["Temperature"].int_numerator, Some(41));
        assert_eq!(a["Temperature"].unit, "C");
        assert_eq!(
            (
                a["Power usage"].int_numerator,
                a["Power usage"].int_denominator
            ),
            (Some(120), Some(700))
        );
        assert_eq!(a["ECC errors uncorrected"].int_numerator, Some(0));
        assert_eq!(gpu.summary, a["Memory state"]);

        let mig = &groups[1].instances["MIG-a"].stats.attributes;
        assert_eq!(mig["GPU utilization"].string.as_deref(), Some("N/A"));
        assert_eq!(mig["Memory used"].int_numerator, Some(13));
        assert_eq!(
            mig["Temperature"].int_numerator,
            Some(41),
            "from the parent"
        );
    }

    #[test]
    fn failing_calls_become_na_not_errors() {
        let mut g = h100("GPU-0");
        g.errors.insert(
            "nvmlDeviceGetTemperature".into(),
            "NVML_ERROR_NOT_SUPPORTED".into(),
        );
        g.lost_after_scans = Some(1);
        let f = fake(vec![g]);
        let inv = scan(&f, &BTreeSet::new(), None).unwrap();
        let a = collect(&f, &inv, SystemTime::UNIX_EPOCH)[0].instances["GPU-0"]
            .stats
            .attributes
            .clone();
        assert_eq!(a["Temperature"].string.as_deref(), Some("N/A"));
        assert_eq!(a["Power usage"].int_numerator, Some(120));
        scan(&f, &BTreeSet::new(), Some(&inv)).unwrap(); // the GPU is now lost
        let a = &collect(&f, &inv, SystemTime::UNIX_EPOCH)[0].instances["GPU-0"]
            .stats
            .attributes;
        assert!(
            a.values().all(|v| v.string.as_deref() == Some("N/A")),
            "{a:?}"
        );
    }
}
