//! One pass over NVML: which GPUs and MIG instances exist, what they are, whether they are
//! healthy.
//!
//! A GPU with MIG enabled is replaced by its MIG instances (as Nomad's NVIDIA plugin does): the
//! instances are what tasks get. Queries a MIG handle cannot answer (clocks, power, PCIe, BAR1)
//! fall back to the parent GPU, whose hardware the instances share. A device whose queries fail
//! with "GPU is lost" (or "reset required") is reported unhealthy with that error; one with
//! uncorrected ECC errors since the driver loaded is unhealthy too. Calls the device simply does
//! not support leave the value out.

use std::collections::BTreeSet;

use crate::nvml::{Clock, EccKind, Handle, Nvml, NvmlError, NvmlResult, Return};

/// Description of a device with nothing wrong.
pub const HEALTHY: &str = "healthy";

/// Everything the plugin knows about one schedulable device (a GPU, or a MIG instance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpuDevice {
    /// `GPU-...` or `MIG-...`; the Nomad device ID.
    pub uuid: String,
    /// Model name (`N/A` when NVML has none); devices are grouped by it.
    pub name: String,
    /// NVML handle of this device.
    pub handle: Handle,
    /// For a MIG instance: the parent GPU's handle and UUID.
    pub parent: Option<(Handle, String)>,
    /// PCI bus id (the parent's for a MIG instance).
    pub pci_bus_id: Option<String>,
    /// N in `/dev/nvidiaN` (the parent's for a MIG instance).
    pub minor: Option<u32>,
    /// Framebuffer memory, bytes.
    pub memory_bytes: Option<u64>,
    /// Power management limit, mW.
    pub power_limit_mw: Option<u32>,
    /// BAR1 size, bytes.
    pub bar1_bytes: Option<u64>,
    /// Max graphics clock, MHz.
    pub cores_clock_mhz: Option<u32>,
    /// Max memory clock, MHz.
    pub memory_clock_mhz: Option<u32>,
    /// Max PCIe generation and width.
    pub pcie: Option<(u32, u32)>,
    /// Usable for scheduling.
    pub healthy: bool,
    /// Why (un)healthy.
    pub health: String,
}

/// The result of one scan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inventory {
    /// `nvmlSystemGetDriverVersion`.
    pub driver_version: Option<String>,
    /// CUDA version the driver supports, `major.minor`.
    pub cuda_version: Option<String>,
    /// Devices, in NVML order, ignored ones left out.
    pub devices: Vec<GpuDevice>,
    /// UUIDs skipped because of `ignored_gpu_ids`.
    pub ignored: Vec<String>,
    /// Problems worth a log line (a device skipped, a query failing unexpectedly).
    pub warnings: Vec<String>,
}

impl Inventory {
    /// The device with this UUID.
    pub fn get(&self, uuid: &str) -> Option<&GpuDevice> {
        self.devices.iter().find(|d| d.uuid == uuid)
    }
}

/// `12040` -> `12.4`, as `nvidia-smi` prints it.
pub fn cuda_version_string(v: i32) -> String {
    format!("{}.{}", v / 1000, (v % 1000) / 10)
}

/// Collects health problems and unexpected failures while a device is queried.
struct Probe<'a> {
    uuid: &'a str,
    failure: Option<NvmlError>,
    warnings: &'a mut Vec<String>,
}

impl Probe<'_> {
    /// The value, or `None` when the call failed; a failure that means the device is broken
    /// marks it unhealthy, one that is neither that nor "not supported" becomes a warning.
    fn take<T>(&mut self, r: NvmlResult<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) if e.code.means_device_failed() => {
                self.failure.get_or_insert(e);
                None
            }
            Err(e) if matches!(e.code, Return::NOT_SUPPORTED | Return::FUNCTION_NOT_FOUND) => None,
            Err(e) => {
                self.warnings.push(format!("device {}: {e}", self.uuid));
                None
            }
        }
    }
}

/// Lists every GPU and MIG instance, skipping UUIDs in `ignored` (ignoring a GPU ignores its
/// MIG instances too). Fails only when the device count itself cannot be read; any per-device
/// failure is recorded in the device's health or in [`Inventory::warnings`]. A device that
/// fails keeps the name and facts it had in `previous`, so it stays in its group.
pub fn scan(
    nvml: &dyn Nvml,
    ignored: &BTreeSet<String>,
    previous: Option<&Inventory>,
) -> NvmlResult<Inventory> {
    let count = nvml.device_count()?;
    let mut inv = Inventory::default();
    let mut warnings = Vec::new();
    inv.driver_version = note(&mut warnings, "system", nvml.driver_version());
    inv.cuda_version =
        note(&mut warnings, "system", nvml.cuda_driver_version()).map(cuda_version_string);
    for index in 0..count {
        let handle = match nvml.device_by_index(index) {
            Ok(h) => h,
            Err(e) => {
                warnings.push(format!("GPU index {index} skipped: {e}"));
                continue;
            }
        };
        let uuid = match nvml.uuid(handle) {
            Ok(u) if !u.is_empty() => u,
            Ok(_) => {
                warnings.push(format!(
                    "GPU index {index} skipped: NVML gave an empty UUID"
                ));
                continue;
            }
            Err(e) => {
                warnings.push(format!("GPU index {index} skipped: {e}"));
                continue;
            }
        };
        if ignored.contains(&uuid) {
            inv.ignored.push(uuid);
            continue;
        }
        let gpu = describe(nvml, handle, &uuid, None, previous, &mut warnings);
        let mig = match nvml.mig_enabled(handle) {
            Ok(m) => m,
            Err(e) if matches!(e.code, Return::NOT_SUPPORTED | Return::FUNCTION_NOT_FOUND) => false,
            Err(e) => {
                if !e.code.means_device_failed() {
                    warnings.push(format!("device {uuid}: {e}"));
                }
                false
            }
        };
        if !mig {
            inv.devices.push(gpu);
            continue;
        }
        let instances = mig_instances(
            nvml,
            &gpu,
            ignored,
            previous,
            &mut inv.ignored,
            &mut warnings,
        );
        inv.devices.extend(instances);
    }
    inv.warnings = warnings;
    Ok(inv)
}

fn note<T>(warnings: &mut Vec<String>, what: &str, r: NvmlResult<T>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) if matches!(e.code, Return::NOT_SUPPORTED | Return::FUNCTION_NOT_FOUND) => None,
        Err(e) => {
            warnings.push(format!("{what}: {e}"));
            None
        }
    }
}

fn mig_instances(
    nvml: &dyn Nvml,
    parent: &GpuDevice,
    ignored: &BTreeSet<String>,
    previous: Option<&Inventory>,
    ignored_out: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Vec<GpuDevice> {
    let slots = match nvml.max_mig_devices(parent.handle) {
        Ok(n) => n,
        Err(e) => {
            warnings.push(format!("device {}: MIG enabled but {e}", parent.uuid));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for slot in 0..slots {
        let h = match nvml.mig_device_by_index(parent.handle, slot) {
            Ok(h) => h,
            Err(e) if e.code == Return::NOT_FOUND => continue, // empty slot
            Err(e) => {
                warnings.push(format!("device {} MIG slot {slot}: {e}", parent.uuid));
                continue;
            }
        };
        let uuid = match nvml.uuid(h) {
            Ok(u) if !u.is_empty() => u,
            Ok(_) => {
                warnings.push(format!(
                    "device {} MIG slot {slot} skipped: empty UUID",
                    parent.uuid
                ));
                continue;
            }
            Err(e) => {
                warnings.push(format!(
                    "device {} MIG slot {slot} skipped: {e}",
                    parent.uuid
                ));
                continue;
            }
        };
        if ignored.contains(&uuid) {
            ignored_out.push(uuid);
            continue;
        }
        out.push(describe(nvml, h, &uuid, Some(parent), previous, warnings));
    }
    out
}

fn describe(
    nvml: &dyn Nvml,
    handle: Handle,
    uuid: &str,
    parent: Option<&GpuDevice>,
    previous: Option<&Inventory>,
    warnings: &mut Vec<String>,
) -> GpuDevice {
    let mut p = Probe {
        uuid,
        failure: None,
        warnings,
    };
    let name = p
        .take(nvml.name(handle))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "N/A".to_string());
    let memory_bytes = p.take(nvml.memory(handle)).map(|m| m.total);
    // MIG instances share the parent's PCI function, device node, clocks and power budget.
    let own = |r: Option<u32>, from_parent: Option<u32>| r.or(from_parent);
    let (pci_bus_id, minor) = match parent {
        Some(g) => (g.pci_bus_id.clone(), g.minor),
        None => (
            p.take(nvml.pci_bus_id(handle)),
            p.take(nvml.minor_number(handle)),
        ),
    };
    let power_limit_mw = own(
        p.take(nvml.power_limit_mw(handle)),
        parent.and_then(|g| g.power_limit_mw),
    );
    let bar1_bytes = p
        .take(nvml.bar1(handle))
        .map(|m| m.total)
        .or(parent.and_then(|g| g.bar1_bytes));
    let cores_clock_mhz = own(
        p.take(nvml.max_clock_mhz(handle, Clock::Graphics)),
        parent.and_then(|g| g.cores_clock_mhz),
    );
    let memory_clock_mhz = own(
        p.take(nvml.max_clock_mhz(handle, Clock::Memory)),
        parent.and_then(|g| g.memory_clock_mhz),
    );
    let pcie = match (
        p.take(nvml.max_pcie_generation(handle)),
        p.take(nvml.max_pcie_width(handle)),
    ) {
        (Some(g), Some(w)) => Some((g, w)),
        _ => parent.and_then(|g| g.pcie),
    };
    let uncorrected = p.take(nvml.ecc_errors(handle, EccKind::Uncorrected));
    let (healthy, health) = match (&p.failure, parent) {
        (Some(e), _) => (false, format!("unhealthy: {e}")),
        (None, Some(g)) if !g.healthy => (false, format!("unhealthy: parent GPU {}", g.health)),
        (None, _) => match uncorrected {
            Some(n) if n > 0 => (
                false,
                format!("unhealthy: {n} uncorrected ECC errors since the driver loaded"),
            ),
            _ => (true, HEALTHY.to_string()),
        },
    };
    if !healthy && let Some(before) = previous.and_then(|i| i.get(uuid)) {
        return GpuDevice {
            handle,
            healthy,
            health,
            ..before.clone()
        };
    }
    GpuDevice {
        uuid: uuid.to_string(),
        name,
        handle,
        parent: parent.map(|g| (g.handle, g.uuid.clone())),
        pci_bus_id,
        minor,
        memory_bytes,
        power_limit_mw,
        bar1_bytes,
        cores_clock_mhz,
        memory_clock_mhz,
        pcie,
        healthy,
        health,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{fake, h100, mig_gpu};

    #[test]
    fn cuda_versions_read_like_nvidia_smi() {
        assert_eq!(cuda_version_string(12040), "12.4");
        assert_eq!(cuda_version_string(11080), "11.8");
        assert_eq!(cuda_version_string(13000), "13.0");
    }

    #[test]
    fn mig_instances_replace_their_parent_and_inherit_its_hardware_facts() {
        let f = fake(vec![h100("GPU-0"), mig_gpu("GPU-1", &["MIG-a", "MIG-b"])]);
        let inv = scan(&f, &BTreeSet::new(), None).unwrap();
        let ids: Vec<_> = inv.devices.iter().map(|d| d.uuid.as_str()).collect();
        assert_eq!(ids, ["GPU-0", "MIG-a", "MIG-b"]);
        let m = inv.get("MIG-a").unwrap();
        assert_eq!(m.parent.as_ref().map(|p| p.1.as_str()), Some("GPU-1"));
        assert_eq!(m.memory_bytes, Some(9984 * 1024 * 1024));
        assert_eq!(m.minor, Some(1));
        assert_eq!(m.power_limit_mw, Some(700_000));
        assert_eq!(m.pcie, Some((5, 16)));
        assert!(m.healthy, "{}", m.health);
        assert!(inv.warnings.is_empty(), "{:?}", inv.warnings);
        assert_eq!(inv.driver_version.as_deref(), Some("550.54.15"));
        assert_eq!(inv.cuda_version.as_deref(), Some("12.4"));
    }

    #[test]
    fn ignored_ids_drop_gpus_and_mig_instances_and_a_gpu_takes_its_instances() {
        let f = fake(vec![
            h100("GPU-0"),
            mig_gpu("GPU-1", &["MIG-a", "MIG-b"]),
            mig_gpu("GPU-2", &["MIG-c"]),
        ]);
        let ignored = BTreeSet::from(["GPU-0".to_string(), "MIG-b".into(), "GPU-2".into()]);
        let inv = scan(&f, &ignored, None).unwrap();
        let ids: Vec<_> = inv.devices.iter().map(|d| d.uuid.as_str()).collect();
        assert_eq!(ids, ["MIG-a"]);
        assert_eq!(inv.ignored, ["GPU-0", "MIG-b", "GPU-2"]);
    }

    #[test]
    fn a_lost_gpu_stays_listed_as_unhealthy_naming_the_nvml_error() {
        let mut g = h100("GPU-0");
        g.lost_after_scans = Some(1);
        let f = fake(vec![g, h100("GPU-1")]);
        let first = scan(&f, &BTreeSet::new(), None).unwrap();
        assert!(first.devices.iter().all(|d| d.healthy));
        let second = scan(&f, &BTreeSet::new(), Some(&first)).unwrap();
        let d = second.get("GPU-0").unwrap();
        assert!(!d.healthy);
        // It keeps its name (and group) and facts from the scan before.
        let before = first.get("GPU-0").unwrap();
        assert_eq!(
            (&d.name, d.memory_bytes),
            (&before.name, before.memory_bytes)
        );
        // Without a previous scan the name is unknown.
        let alone = scan(&f, &BTreeSet::new(), None).unwrap();
        assert_eq!(alone.get("GPU-0").unwrap().name, "N/A");
        assert_eq!(
            d.health,
            "unhealthy: nvmlDeviceGetName: NVML_ERROR_GPU_IS_LOST (15)"
        );
        assert!(second.get("GPU-1").unwrap().healthy);
    }

    #[test]
    fn uncorrected_ecc_errors_make_a_gpu_unhealthy() {
        let mut g = h100("GPU-0");
        g.ecc_uncorrected = 2;
        let inv = scan(&fake(vec![g]), &BTreeSet::new(), None).unwrap();
        let d = inv.get("GPU-0").unwrap();
        assert!(!d.healthy);
        assert!(
            d.health.contains("2 uncorrected ECC errors"),
            "{}",
            d.health
        );
    }

    #[test]
    fn unsupported_calls_leave_values_out_and_other_errors_warn() {
        let mut g = h100("GPU-0");
        g.errors.insert(
            "nvmlDeviceGetBAR1MemoryInfo".into(),
            "NVML_ERROR_NOT_SUPPORTED".into(),
        );
        g.errors.insert(
            "nvmlDeviceGetPowerManagementLimit".into(),
            "NVML_ERROR_NO_PERMISSION".into(),
        );
        let inv = scan(&fake(vec![g]), &BTreeSet::new(), None).unwrap();
        let d = inv.get("GPU-0").unwrap();
        assert_eq!((d.bar1_bytes, d.power_limit_mw), (None, None));
        assert!(d.healthy);
        assert_eq!(
            inv.warnings,
            ["device GPU-0: nvmlDeviceGetPowerManagementLimit: NVML_ERROR_NO_PERMISSION (4)"]
        );
    }

    #[test]
    fn a_failing_device_count_is_the_only_scan_error() {
        let mut f = crate::testing::spec(vec![h100("GPU-0")]);
        f.count_error_after_scans = Some(0);
        let f = crate::nvml::fake::FakeNvml::from_spec("t", f).unwrap();
        let e = scan(&f, &BTreeSet::new(), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "nvmlDeviceGetCount_v2: NVML_ERROR_UNKNOWN (999)"
        );
    }
}
