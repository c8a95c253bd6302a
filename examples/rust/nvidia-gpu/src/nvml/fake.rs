//! A simulated NVML, described by a JSON file, for tests and for running the real plugin binary
//! under the conformance suite on machines without GPUs.
//!
//! The description is in friendly units (MiB, W) and the fake answers in NVML's (bytes, mW), so
//! the plugin's conversions are exercised. It can simulate:
//! - GPUs of several models, with a PCI bus id and `/dev/nvidiaN` minor number;
//! - MIG mode: a GPU with `mig` instances answers `nvmlDeviceGetMigMode` with enabled and hands
//!   out MIG handles that, like the real ones, answer UUID, name and memory and return
//!   `NVML_ERROR_NOT_SUPPORTED` for clocks, power, PCIe, BAR1, utilisation, temperature and ECC;
//! - a GPU that disappears (`vanish_after_scans`: visible to the first N `nvmlDeviceGetCount`
//!   calls only);
//! - a GPU that falls off the bus (`lost_after_scans`: after N counts every query but the UUID
//!   returns `NVML_ERROR_GPU_IS_LOST`);
//! - failing calls: `errors` maps an NVML function name to the code it returns, per GPU;
//!   `count_error_after_scans` makes `nvmlDeviceGetCount_v2` fail; `init_error` makes the
//!   library fail to initialise.
//!
//! ```json
//! { "driver_version": "550.54.15", "cuda_version": 12040,
//!   "gpus": [ { "uuid": "GPU-0", "name": "NVIDIA H100 80GB HBM3", "memory_mib": 81559 } ] }
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Deserialize;

use super::{Clock, EccKind, Handle, Memory, Nvml, NvmlError, NvmlResult, Return, Utilization};

/// The environment variable that selects a fake NVML description file.
pub const FAKE_ENV: &str = "YURT_NVIDIA_FAKE";

const MIB: u64 = 1024 * 1024;

/// The whole simulated system.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FakeSpec {
    /// `nvmlSystemGetDriverVersion`.
    #[serde(default = "default_driver")]
    pub driver_version: String,
    /// `nvmlSystemGetCudaDriverVersion_v2` (12040 = CUDA 12.4).
    #[serde(default = "default_cuda")]
    pub cuda_version: i32,
    /// When set, NVML fails to initialise with this code (e.g. `NVML_ERROR_DRIVER_NOT_LOADED`).
    #[serde(default)]
    pub init_error: Option<String>,
    /// `nvmlDeviceGetCount_v2` returns `NVML_ERROR_UNKNOWN` from the (N+1)th call on.
    #[serde(default)]
    pub count_error_after_scans: Option<u32>,
    /// The GPUs, in NVML index order.
    #[serde(default)]
    pub gpus: Vec<FakeGpu>,
}

fn default_driver() -> String {
    "550.54.15".into()
}
fn default_cuda() -> i32 {
    12040
}

/// One simulated GPU.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct FakeGpu {
    /// `GPU-...`.
    pub uuid: String,
    /// Product name.
    pub name: String,
    /// PCI bus id; defaults to `00000000:0N:00.0`.
    pub pci_bus_id: Option<String>,
    /// Minor number; defaults to the index.
    pub minor: Option<u32>,
    /// Total framebuffer memory, MiB.
    pub memory_mib: u64,
    /// Used framebuffer memory, MiB.
    pub memory_used_mib: u64,
    /// BAR1 size, MiB.
    pub bar1_mib: u64,
    /// Power management limit, W.
    pub power_limit_w: u32,
    /// Current draw, W.
    pub power_draw_w: u32,
    /// Max graphics clock, MHz.
    pub graphics_clock_mhz: u32,
    /// Max memory clock, MHz.
    pub memory_clock_mhz: u32,
    /// Max PCIe generation.
    pub pcie_generation: u32,
    /// Max PCIe lanes.
    pub pcie_width: u32,
    /// GPU utilisation, %.
    pub gpu_utilization: u32,
    /// Memory utilisation, %.
    pub memory_utilization: u32,
    /// Temperature, C.
    pub temperature_c: u32,
    /// Corrected volatile ECC errors.
    pub ecc_corrected: u64,
    /// Uncorrected volatile ECC errors.
    pub ecc_uncorrected: u64,
    /// NVML function name -> return code name, e.g.
    /// `{"nvmlDeviceGetTemperature": "NVML_ERROR_NOT_SUPPORTED"}`.
    pub errors: BTreeMap<String, String>,
    /// Visible to the first N `nvmlDeviceGetCount_v2` calls only.
    pub vanish_after_scans: Option<u32>,
    /// After N `nvmlDeviceGetCount_v2` calls, everything but the UUID is `GPU_IS_LOST`.
    pub lost_after_scans: Option<u32>,
    /// MIG instances; non-empty means MIG mode is enabled.
    pub mig: Vec<FakeMig>,
}

/// One simulated MIG instance.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct FakeMig {
    /// `MIG-...`.
    pub uuid: String,
    /// e.g. `NVIDIA H100 80GB HBM3 MIG 1g.10gb`.
    pub name: String,
    /// Memory, MiB.
    pub memory_mib: u64,
    /// Used memory, MiB.
    pub memory_used_mib: u64,
}

/// Why a fake description could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FakeError {
    /// The file could not be read.
    #[error("fake NVML {path}: reading the file: {source}")]
    Read {
        /// File path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The JSON does not describe a [`FakeSpec`].
    #[error("fake NVML {path}: {message}")]
    Parse {
        /// File path.
        path: String,
        /// What was wrong, with the JSON field path.
        message: String,
    },
    /// `init_error` is set: NVML "fails to initialise".
    #[error("fake NVML {path} failed to initialise: nvmlInit_v2: {code}")]
    Init {
        /// File path.
        path: String,
        /// The simulated code.
        code: Return,
    },
}

#[derive(Debug, Clone, Copy)]
enum Entry {
    Gpu(usize),
    Mig(usize, usize),
}

/// NVML answered from a [`FakeSpec`]. Handles are indices into a fixed table of every GPU and
/// MIG instance, so they stay valid when a GPU "vanishes", as real handles do.
#[derive(Debug)]
pub struct FakeNvml {
    source: String,
    spec: FakeSpec,
    table: Vec<Entry>,
    scans: AtomicU32,
}

impl FakeNvml {
    /// Reads and checks a JSON description.
    pub fn open(path: &Path) -> Result<FakeNvml, FakeError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| FakeError::Read {
            path: p.clone(),
            source,
        })?;
        let mut de = serde_json::Deserializer::from_str(&text);
        let spec: FakeSpec =
            serde_path_to_error::deserialize(&mut de).map_err(|e| FakeError::Parse {
                path: p.clone(),
                message: format!("field {:?}: {}", e.path().to_string(), e.inner()),
            })?;
        Self::from_spec(p, spec)
    }

    /// Builds the fake from a description; `source` names it in logs and errors.
    pub fn from_spec(source: impl Into<String>, spec: FakeSpec) -> Result<FakeNvml, FakeError> {
        let source = source.into();
        let parse_code = |field: String, s: &str| {
            Return::parse(s).ok_or_else(|| FakeError::Parse {
                path: source.clone(),
                message: format!(
                    "field {field:?}: expected an NVML return code name like \
                     \"NVML_ERROR_NOT_SUPPORTED\" or a number, got {s:?}"
                ),
            })
        };
        if let Some(e) = &spec.init_error {
            let code = parse_code("init_error".into(), e)?;
            return Err(FakeError::Init { path: source, code });
        }
        let mut table = Vec::new();
        for (i, g) in spec.gpus.iter().enumerate() {
            if g.uuid.is_empty() {
                return Err(FakeError::Parse {
                    path: source,
                    message: format!("field \"gpus[{i}].uuid\": expected a non-empty UUID"),
                });
            }
            for (f, c) in &g.errors {
                parse_code(format!("gpus[{i}].errors.{f}"), c)?;
            }
            table.push(Entry::Gpu(i));
        }
        for (i, g) in spec.gpus.iter().enumerate() {
            for m in 0..g.mig.len() {
                table.push(Entry::Mig(i, m));
            }
        }
        Ok(FakeNvml {
            source,
            spec,
            table,
            scans: AtomicU32::new(0),
        })
    }

    fn scans(&self) -> u32 {
        self.scans.load(Ordering::SeqCst)
    }

    fn visible(&self, g: &FakeGpu) -> bool {
        g.vanish_after_scans.is_none_or(|n| self.scans() <= n)
    }

    /// Resolves a handle and applies the GPU's simulated failures for `function`.
    fn entry(&self, function: &'static str, h: Handle) -> NvmlResult<(&FakeGpu, Option<&FakeMig>)> {
        let bad = NvmlError::new(function, Return::INVALID_ARGUMENT);
        let (g, m) = match self.table.get(h.0).ok_or(bad)? {
            Entry::Gpu(i) => (self.spec.gpus.get(*i).ok_or(bad)?, None),
            Entry::Mig(i, j) => {
                let g = self.spec.gpus.get(*i).ok_or(bad)?;
                (g, Some(g.mig.get(*j).ok_or(bad)?))
            }
        };
        if function != "nvmlDeviceGetUUID" && g.lost_after_scans.is_some_and(|n| self.scans() > n) {
            return Err(NvmlError::new(function, Return::GPU_IS_LOST));
        }
        if m.is_none()
            && let Some(code) = g.errors.get(function).and_then(|c| Return::parse(c))
        {
            return Err(NvmlError::new(function, code));
        }
        Ok((g, m))
    }

    /// Like [`Self::entry`] for calls a MIG handle cannot answer.
    fn gpu_only(&self, function: &'static str, h: Handle) -> NvmlResult<&FakeGpu> {
        match self.entry(function, h)? {
            (g, None) => Ok(g),
            (_, Some(_)) => Err(NvmlError::new(function, Return::NOT_SUPPORTED)),
        }
    }
}

impl Nvml for FakeNvml {
    fn describe(&self) -> String {
        format!("fake NVML from {}", self.source)
    }

    fn driver_version(&self) -> NvmlResult<String> {
        Ok(self.spec.driver_version.clone())
    }

    fn cuda_driver_version(&self) -> NvmlResult<i32> {
        Ok(self.spec.cuda_version)
    }

    fn device_count(&self) -> NvmlResult<u32> {
        let n = self.scans.fetch_add(1, Ordering::SeqCst) + 1;
        if self.spec.count_error_after_scans.is_some_and(|k| n > k) {
            return Err(NvmlError::new("nvmlDeviceGetCount_v2", Return::UNKNOWN));
        }
        let visible = self.spec.gpus.iter().filter(|g| self.visible(g)).count();
        Ok(u32::try_from(visible).unwrap_or(u32::MAX))
    }

    fn device_by_index(&self, index: u32) -> NvmlResult<Handle> {
        const F: &str = "nvmlDeviceGetHandleByIndex_v2";
        let want =
            usize::try_from(index).map_err(|_| NvmlError::new(F, Return::INVALID_ARGUMENT))?;
        self.spec
            .gpus
            .iter()
            .enumerate()
            .filter(|(_, g)| self.visible(g))
            .nth(want)
            .map(|(i, _)| Handle(i))
            .ok_or(NvmlError::new(F, Return::INVALID_ARGUMENT))
    }

    fn uuid(&self, d: Handle) -> NvmlResult<String> {
        Ok(match self.entry("nvmlDeviceGetUUID", d)? {
            (_, Some(m)) => m.uuid.clone(),
            (g, None) => g.uuid.clone(),
        })
    }

    fn name(&self, d: Handle) -> NvmlResult<String> {
        Ok(match self.entry("nvmlDeviceGetName", d)? {
            (_, Some(m)) => m.name.clone(),
            (g, None) => g.name.clone(),
        })
    }

    fn pci_bus_id(&self, d: Handle) -> NvmlResult<String> {
        let g = self.gpu_only("nvmlDeviceGetPciInfo_v3", d)?;
        Ok(g.pci_bus_id
            .clone()
            .unwrap_or_else(|| format!("00000000:{:02X}:00.0", d.0 + 1)))
    }

    fn minor_number(&self, d: Handle) -> NvmlResult<u32> {
        let g = self.gpu_only("nvmlDeviceGetMinorNumber", d)?;
        Ok(g.minor
            .unwrap_or_else(|| u32::try_from(d.0).unwrap_or(u32::MAX)))
    }

    fn memory(&self, d: Handle) -> NvmlResult<Memory> {
        let (total, used) = match self.entry("nvmlDeviceGetMemoryInfo", d)? {
            (_, Some(m)) => (m.memory_mib, m.memory_used_mib),
            (g, None) => (g.memory_mib, g.memory_used_mib),
        };
        Ok(Memory {
            total: total * MIB,
            used: used * MIB,
            free: total.saturating_sub(used) * MIB,
        })
    }

    fn bar1(&self, d: Handle) -> NvmlResult<Memory> {
        let g = self.gpu_only("nvmlDeviceGetBAR1MemoryInfo", d)?;
        Ok(Memory {
            total: g.bar1_mib * MIB,
            used: 0,
            free: g.bar1_mib * MIB,
        })
    }

    fn power_limit_mw(&self, d: Handle) -> NvmlResult<u32> {
        let g = self.gpu_only("nvmlDeviceGetPowerManagementLimit", d)?;
        Ok(g.power_limit_w.saturating_mul(1000))
    }

    fn power_usage_mw(&self, d: Handle) -> NvmlResult<u32> {
        let g = self.gpu_only("nvmlDeviceGetPowerUsage", d)?;
        Ok(g.power_draw_w.saturating_mul(1000))
    }

    fn max_clock_mhz(&self, d: Handle, clock: Clock) -> NvmlResult<u32> {
        let g = self.gpu_only("nvmlDeviceGetMaxClockInfo", d)?;
        Ok(match clock {
            Clock::Graphics => g.graphics_clock_mhz,
            Clock::Memory => g.memory_clock_mhz,
        })
    }

    fn max_pcie_generation(&self, d: Handle) -> NvmlResult<u32> {
        Ok(self
            .gpu_only("nvmlDeviceGetMaxPcieLinkGeneration", d)?
            .pcie_generation)
    }

    fn max_pcie_width(&self, d: Handle) -> NvmlResult<u32> {
        Ok(self
            .gpu_only("nvmlDeviceGetMaxPcieLinkWidth", d)?
            .pcie_width)
    }

    fn mig_enabled(&self, d: Handle) -> NvmlResult<bool> {
        Ok(!self.gpu_only("nvmlDeviceGetMigMode", d)?.mig.is_empty())
    }

    fn max_mig_devices(&self, d: Handle) -> NvmlResult<u32> {
        let g = self.gpu_only("nvmlDeviceGetMaxMigDeviceCount", d)?;
        // Real GPUs have more slots than instances; leave one empty to exercise NOT_FOUND.
        Ok(u32::try_from(g.mig.len() + 1).unwrap_or(u32::MAX))
    }

    fn mig_device_by_index(&self, d: Handle, index: u32) -> NvmlResult<Handle> {
        const F: &str = "nvmlDeviceGetMigDeviceHandleByIndex";
        self.gpu_only(F, d)?;
        let gi = d.0;
        let j = usize::try_from(index).map_err(|_| NvmlError::new(F, Return::INVALID_ARGUMENT))?;
        self.table
            .iter()
            .position(|e| matches!(e, Entry::Mig(a, b) if *a == gi && *b == j))
            .map(Handle)
            .ok_or(NvmlError::new(F, Return::NOT_FOUND))
    }

    fn utilization(&self, d: Handle) -> NvmlResult<Utilization> {
        let g = self.gpu_only("nvmlDeviceGetUtilizationRates", d)?;
        Ok(Utilization {
            gpu: g.gpu_utilization,
            memory: g.memory_utilization,
        })
    }

    fn temperature_c(&self, d: Handle) -> NvmlResult<u32> {
        Ok(self.gpu_only("nvmlDeviceGetTemperature", d)?.temperature_c)
    }

    fn ecc_errors(&self, d: Handle, kind: EccKind) -> NvmlResult<u64> {
        let g = self.gpu_only("nvmlDeviceGetTotalEccErrors", d)?;
        Ok(match kind {
            EccKind::Corrected => g.ecc_corrected,
            EccKind::Uncorrected => g.ecc_uncorrected,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gpu(uuid: &str) -> FakeGpu {
        FakeGpu {
            uuid: uuid.into(),
            name: "NVIDIA Test".into(),
            memory_mib: 1024,
            ..Default::default()
        }
    }

    #[test]
    fn answers_in_nvml_units() {
        let mut g = gpu("GPU-a");
        g.power_limit_w = 700;
        g.memory_used_mib = 24;
        let f = FakeNvml::from_spec(
            "t",
            FakeSpec {
                gpus: vec![g],
                ..serde_json::from_str("{}").unwrap()
            },
        )
        .unwrap();
        let h = f.device_by_index(0).unwrap();
        assert_eq!(f.power_limit_mw(h).unwrap(), 700_000);
        let m = f.memory(h).unwrap();
        assert_eq!(
            (m.total, m.used, m.free),
            (1024 * MIB, 24 * MIB, 1000 * MIB)
        );
    }

    #[test]
    fn unknown_code_names_and_missing_uuids_are_refused_with_the_field() {
        let mut g = gpu("GPU-a");
        g.errors
            .insert("nvmlDeviceGetTemperature".into(), "NVML_ERROR_NOPE".into());
        let e = FakeNvml::from_spec(
            "f.json",
            FakeSpec {
                gpus: vec![g],
                ..serde_json::from_str("{}").unwrap()
            },
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("field \"gpus[0].errors.nvmlDeviceGetTemperature\""),
            "{e}"
        );
        let e = FakeNvml::from_spec(
            "f.json",
            FakeSpec {
                gpus: vec![gpu("")],
                ..serde_json::from_str("{}").unwrap()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("gpus[0].uuid"), "{e}");
    }

    #[test]
    fn bad_json_names_the_field_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.json");
        std::fs::write(&p, r#"{"gpus": [{"uuid": "GPU-a", "memory_mib": "lots"}]}"#).unwrap();
        let e = FakeNvml::open(&p).unwrap_err().to_string();
        assert!(e.contains("gpus[0].memory_mib"), "{e}");
        let e = FakeNvml::open(&dir.path().join("missing.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("reading the file"), "{e}");
    }
}
