//! The NVML calls the plugin makes, behind one object-safe trait.
//!
//! Two implementations exist: [`dynamic::DynamicNvml`] opens `libnvidia-ml.so.1` with `dlopen`
//! at run time (no link-time dependency, so the binary starts on machines without a driver), and
//! [`fake::FakeNvml`] simulates GPUs, MIG instances, a GPU that disappears and failing calls from
//! a JSON description, so the plugin's logic and the conformance suite run without hardware.
//!
//! Values come back in NVML's own units (bytes, milliwatts, MHz); converting them to Nomad's
//! units is the caller's job, which keeps the conversions in one tested place.

pub mod dynamic;
pub mod fake;

use std::fmt;

/// An NVML return code (`nvmlReturn_t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Return(pub u32);

impl Return {
    /// `NVML_SUCCESS`.
    pub const SUCCESS: Return = Return(0);
    /// `NVML_ERROR_UNINITIALIZED`.
    pub const UNINITIALIZED: Return = Return(1);
    /// `NVML_ERROR_INVALID_ARGUMENT`.
    pub const INVALID_ARGUMENT: Return = Return(2);
    /// `NVML_ERROR_NOT_SUPPORTED`: the device or this MIG instance cannot answer.
    pub const NOT_SUPPORTED: Return = Return(3);
    /// `NVML_ERROR_NO_PERMISSION`.
    pub const NO_PERMISSION: Return = Return(4);
    /// `NVML_ERROR_NOT_FOUND`: e.g. an empty MIG slot.
    pub const NOT_FOUND: Return = Return(6);
    /// `NVML_ERROR_INSUFFICIENT_SIZE`.
    pub const INSUFFICIENT_SIZE: Return = Return(7);
    /// `NVML_ERROR_DRIVER_NOT_LOADED`.
    pub const DRIVER_NOT_LOADED: Return = Return(9);
    /// `NVML_ERROR_LIBRARY_NOT_FOUND`.
    pub const LIBRARY_NOT_FOUND: Return = Return(12);
    /// `NVML_ERROR_FUNCTION_NOT_FOUND`: the installed NVML is older than the call.
    pub const FUNCTION_NOT_FOUND: Return = Return(13);
    /// `NVML_ERROR_GPU_IS_LOST`: the GPU fell off the bus.
    pub const GPU_IS_LOST: Return = Return(15);
    /// `NVML_ERROR_RESET_REQUIRED`.
    pub const RESET_REQUIRED: Return = Return(16);
    /// `NVML_ERROR_UNKNOWN`.
    pub const UNKNOWN: Return = Return(999);

    const NAMES: [(u32, &'static str); 21] = [
        (0, "NVML_SUCCESS"),
        (1, "NVML_ERROR_UNINITIALIZED"),
        (2, "NVML_ERROR_INVALID_ARGUMENT"),
        (3, "NVML_ERROR_NOT_SUPPORTED"),
        (4, "NVML_ERROR_NO_PERMISSION"),
        (5, "NVML_ERROR_ALREADY_INITIALIZED"),
        (6, "NVML_ERROR_NOT_FOUND"),
        (7, "NVML_ERROR_INSUFFICIENT_SIZE"),
        (8, "NVML_ERROR_INSUFFICIENT_POWER"),
        (9, "NVML_ERROR_DRIVER_NOT_LOADED"),
        (10, "NVML_ERROR_TIMEOUT"),
        (11, "NVML_ERROR_IRQ_ISSUE"),
        (12, "NVML_ERROR_LIBRARY_NOT_FOUND"),
        (13, "NVML_ERROR_FUNCTION_NOT_FOUND"),
        (14, "NVML_ERROR_CORRUPTED_INFOROM"),
        (15, "NVML_ERROR_GPU_IS_LOST"),
        (16, "NVML_ERROR_RESET_REQUIRED"),
        (17, "NVML_ERROR_OPERATING_SYSTEM"),
        (18, "NVML_ERROR_LIB_RM_VERSION_MISMATCH"),
        (19, "NVML_ERROR_IN_USE"),
        (999, "NVML_ERROR_UNKNOWN"),
    ];

    /// The C name, e.g. `NVML_ERROR_NOT_SUPPORTED`; `None` for codes this plugin does not know.
    pub fn name(self) -> Option<&'static str> {
        Self::NAMES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, n)| *n)
    }

    /// Parses a C name (`NVML_ERROR_GPU_IS_LOST`) or a bare number.
    pub fn parse(s: &str) -> Option<Return> {
        if let Ok(n) = s.parse::<u32>() {
            return Some(Return(n));
        }
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == s)
            .map(|(c, _)| Return(*c))
    }

    /// Whether the code says the device itself is gone or broken (as opposed to a call it
    /// cannot answer).
    pub fn means_device_failed(self) -> bool {
        matches!(self, Return::GPU_IS_LOST | Return::RESET_REQUIRED) || self == Return(14) // corrupted infoROM
    }
}

impl fmt::Display for Return {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n} ({})", self.0),
            None => write!(f, "NVML return code {}", self.0),
        }
    }
}

/// A failed NVML call, naming the C function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{function}: {code}")]
pub struct NvmlError {
    /// The NVML function, e.g. `nvmlDeviceGetTemperature`.
    pub function: &'static str,
    /// What it returned.
    pub code: Return,
}

impl NvmlError {
    /// An error for `function` with `code`.
    pub fn new(function: &'static str, code: Return) -> Self {
        NvmlError { function, code }
    }
}

/// Shorthand for NVML results.
pub type NvmlResult<T> = Result<T, NvmlError>;

/// An opaque device handle, valid only for the [`Nvml`] that returned it. Backends keep the real
/// handles in a table and hand out indices, so a stale or foreign handle is an error, never a
/// dangling pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Handle(pub usize);

/// `nvmlMemory_t` / `nvmlBAR1Memory_t`, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Memory {
    /// Total bytes.
    pub total: u64,
    /// Free bytes.
    pub free: u64,
    /// Used bytes.
    pub used: u64,
}

/// `nvmlUtilization_t`, percent over NVML's last sample period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Utilization {
    /// Percent of time a kernel was running.
    pub gpu: u32,
    /// Percent of time device memory was read or written.
    pub memory: u32,
}

/// `nvmlClockType_t` values the plugin asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// `NVML_CLOCK_GRAPHICS` (0).
    Graphics,
    /// `NVML_CLOCK_MEM` (2).
    Memory,
}

/// `nvmlMemoryErrorType_t` values (volatile counters: since the driver loaded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EccKind {
    /// `NVML_MEMORY_ERROR_TYPE_CORRECTED` (0).
    Corrected,
    /// `NVML_MEMORY_ERROR_TYPE_UNCORRECTED` (1).
    Uncorrected,
}

/// The NVML calls the plugin makes. Every method is one NVML function; see NVIDIA's NVML API
/// reference for their semantics. Implementations must be callable from several threads.
pub trait Nvml: Send + Sync {
    /// Where this NVML came from (library path or fake file), for logs.
    fn describe(&self) -> String;
    /// `nvmlSystemGetDriverVersion`.
    fn driver_version(&self) -> NvmlResult<String>;
    /// `nvmlSystemGetCudaDriverVersion_v2`, e.g. 12040 for CUDA 12.4.
    fn cuda_driver_version(&self) -> NvmlResult<i32>;
    /// `nvmlDeviceGetCount_v2`.
    fn device_count(&self) -> NvmlResult<u32>;
    /// `nvmlDeviceGetHandleByIndex_v2`.
    fn device_by_index(&self, index: u32) -> NvmlResult<Handle>;
    /// `nvmlDeviceGetUUID`.
    fn uuid(&self, d: Handle) -> NvmlResult<String>;
    /// `nvmlDeviceGetName`.
    fn name(&self, d: Handle) -> NvmlResult<String>;
    /// `nvmlDeviceGetPciInfo_v3`, the `busId` field.
    fn pci_bus_id(&self, d: Handle) -> NvmlResult<String>;
    /// `nvmlDeviceGetMinorNumber`: N in `/dev/nvidiaN`.
    fn minor_number(&self, d: Handle) -> NvmlResult<u32>;
    /// `nvmlDeviceGetMemoryInfo`.
    fn memory(&self, d: Handle) -> NvmlResult<Memory>;
    /// `nvmlDeviceGetBAR1MemoryInfo`.
    fn bar1(&self, d: Handle) -> NvmlResult<Memory>;
    /// `nvmlDeviceGetPowerManagementLimit`, milliwatts.
    fn power_limit_mw(&self, d: Handle) -> NvmlResult<u32>;
    /// `nvmlDeviceGetPowerUsage`, milliwatts.
    fn power_usage_mw(&self, d: Handle) -> NvmlResult<u32>;
    /// `nvmlDeviceGetMaxClockInfo`, MHz.
    fn max_clock_mhz(&self, d: Handle, clock: Clock) -> NvmlResult<u32>;
    /// `nvmlDeviceGetMaxPcieLinkGeneration`.
    fn max_pcie_generation(&self, d: Handle) -> NvmlResult<u32>;
    /// `nvmlDeviceGetMaxPcieLinkWidth`, lanes.
    fn max_pcie_width(&self, d: Handle) -> NvmlResult<u32>;
    /// `nvmlDeviceGetMigMode`, current mode == `NVML_DEVICE_MIG_ENABLE`.
    fn mig_enabled(&self, d: Handle) -> NvmlResult<bool>;
    /// `nvmlDeviceGetMaxMigDeviceCount`.
    fn max_mig_devices(&self, d: Handle) -> NvmlResult<u32>;
    /// `nvmlDeviceGetMigDeviceHandleByIndex`; `NOT_FOUND` for an empty slot.
    fn mig_device_by_index(&self, d: Handle, index: u32) -> NvmlResult<Handle>;
    /// `nvmlDeviceGetUtilizationRates`.
    fn utilization(&self, d: Handle) -> NvmlResult<Utilization>;
    /// `nvmlDeviceGetTemperature(NVML_TEMPERATURE_GPU)`, degrees C.
    fn temperature_c(&self, d: Handle) -> NvmlResult<u32>;
    /// `nvmlDeviceGetTotalEccErrors(kind, NVML_VOLATILE_ECC)`.
    fn ecc_errors(&self, d: Handle, kind: EccKind) -> NvmlResult<u64>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_codes_print_and_parse_by_name() {
        assert_eq!(
            Return::NOT_SUPPORTED.to_string(),
            "NVML_ERROR_NOT_SUPPORTED (3)"
        );
        assert_eq!(Return(4242).to_string(), "NVML return code 4242");
        assert_eq!(
            Return::parse("NVML_ERROR_GPU_IS_LOST"),
            Some(Return::GPU_IS_LOST)
        );
        assert_eq!(Return::parse("999"), Some(Return::UNKNOWN));
        assert_eq!(Return::parse("NVML_ERROR_BOGUS"), None);
        let e = NvmlError::new("nvmlDeviceGetTemperature", Return::GPU_IS_LOST);
        assert_eq!(
            e.to_string(),
            "nvmlDeviceGetTemperature: NVML_ERROR_GPU_IS_LOST (15)"
        );
        assert!(Return::GPU_IS_LOST.means_device_failed());
        assert!(!Return::NOT_SUPPORTED.means_device_failed());
    }
}
