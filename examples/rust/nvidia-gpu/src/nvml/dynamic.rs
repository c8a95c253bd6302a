//! The real NVML, opened with `dlopen` at run time.
//!
//! The plugin binary has no link-time dependency on the NVIDIA driver: it starts everywhere, and
//! on a machine without `libnvidia-ml.so.1` (or without a loaded driver) [`DynamicNvml::open`]
//! returns a [`LoadError`] that says what was tried, which the plugin logs before fingerprinting
//! no devices. Functions missing from an older NVML answer `NVML_ERROR_FUNCTION_NOT_FOUND` when
//! called rather than failing the load, except the few without which nothing works.
//!
//! Struct layouts and signatures follow NVIDIA's `nvml.h` (NVML API 11+, the `_v2`/`_v3` entry
//! points that the header's `#define`s select).

use std::ffi::{CStr, c_char, c_int, c_uint, c_ulonglong, c_void};
use std::sync::Mutex;

use libloading::Library;

use super::{Clock, EccKind, Handle, Memory, Nvml, NvmlError, NvmlResult, Return, Utilization};

/// The environment variable that names the NVML library to load instead of the search list.
pub const LIBRARY_ENV: &str = "YURT_NVML_LIBRARY";

/// Where NVML is looked for, in order: the dynamic loader's own search (ld.so.cache,
/// `LD_LIBRARY_PATH`), then the places container images and distributions put it.
pub const SEARCH_PATHS: &[&str] = &[
    "libnvidia-ml.so.1",
    "/usr/local/nvidia/lib64/libnvidia-ml.so.1",
    "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1",
    "/usr/lib/aarch64-linux-gnu/libnvidia-ml.so.1",
    "/usr/lib64/libnvidia-ml.so.1",
    "/usr/lib/libnvidia-ml.so.1",
    "/lib/libnvidia-ml.so.1",
];

/// Why NVML could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// No candidate path could be `dlopen`ed.
    #[error("no NVML: libnvidia-ml.so.1 could not be loaded (tried {})", format_tried(.tried))]
    NotFound {
        /// Each path with the loader's error.
        tried: Vec<(String, String)>,
    },
    /// The library lacks a function the plugin cannot work without.
    #[error("NVML at {path} lacks {symbol}; is it an NVIDIA Management Library?")]
    MissingSymbol {
        /// Library path.
        path: String,
        /// Missing function.
        symbol: &'static str,
    },
    /// `nvmlInit_v2` failed, e.g. the kernel driver is not loaded.
    #[error("NVML at {path} failed to initialise: nvmlInit_v2: {code}")]
    Init {
        /// Library path.
        path: String,
        /// What `nvmlInit_v2` returned.
        code: Return,
    },
}

fn format_tried(tried: &[(String, String)]) -> String {
    tried
        .iter()
        // dlerror() usually starts with the path already; do not repeat it.
        .map(|(p, e)| {
            if e.starts_with(p.as_str()) {
                e.clone()
            } else {
                format!("{p}: {e}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

type Raw = *mut c_void;

/// A device handle as NVML returns it. NVML handles are process-wide and valid from any thread
/// until `nvmlShutdown`, which only [`DynamicNvml`]'s `Drop` calls.
#[derive(Clone, Copy, PartialEq, Eq)]
struct RawDevice(Raw);
// SAFETY: see the type's comment; the pointer is never dereferenced here, only passed to NVML.
unsafe impl Send for RawDevice {}

#[repr(C)]
#[derive(Default)]
struct CMemory {
    total: c_ulonglong,
    free: c_ulonglong,
    used: c_ulonglong,
}

#[repr(C)]
#[derive(Default)]
struct CUtilization {
    gpu: c_uint,
    memory: c_uint,
}

#[repr(C)]
struct CPciInfo {
    bus_id_legacy: [c_char; 16],
    domain: c_uint,
    bus: c_uint,
    device: c_uint,
    pci_device_id: c_uint,
    pci_sub_system_id: c_uint,
    bus_id: [c_char; 32],
}

const NAME_BUFFER: usize = 96; // NVML_DEVICE_NAME_V2_BUFFER_SIZE
const UUID_BUFFER: usize = 96; // NVML_DEVICE_UUID_V2_BUFFER_SIZE
const VERSION_BUFFER: usize = 80; // NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE
const MIG_ENABLE: c_uint = 1; // NVML_DEVICE_MIG_ENABLE

macro_rules! api {
    ($($field:ident = $sym:literal ($($arg:ty),*);)*) => {
        /// Function pointers resolved from the library; `None` where the library lacks one.
        #[derive(Clone, Copy)]
        struct Api {
            $($field: Option<unsafe extern "C" fn($($arg),*) -> c_uint>,)*
        }

        impl Api {
            /// # Safety
            /// `lib` must be an NVML library whose functions have the signatures above, and it
            /// must outlive every use of the returned pointers.
            unsafe fn resolve(lib: &Library) -> Api {
                Api {
                    $($field: unsafe {
                        lib.get::<unsafe extern "C" fn($($arg),*) -> c_uint>($sym.as_bytes())
                            .ok()
                            .map(|s| *s)
                    },)*
                }
            }

            $(
                #[allow(dead_code)]
                fn $field(&self) -> NvmlResult<(unsafe extern "C" fn($($arg),*) -> c_uint, &'static str)> {
                    self.$field
                        .map(|f| (f, $sym))
                        .ok_or(NvmlError::new($sym, Return::FUNCTION_NOT_FOUND))
                }
            )*
        }
    };
}

api! {
    init = "nvmlInit_v2"();
    shutdown = "nvmlShutdown"();
    driver_version = "nvmlSystemGetDriverVersion"(*mut c_char, c_uint);
    cuda_version = "nvmlSystemGetCudaDriverVersion_v2"(*mut c_int);
    count = "nvmlDeviceGetCount_v2"(*mut c_uint);
    by_index = "nvmlDeviceGetHandleByIndex_v2"(c_uint, *mut Raw);
    uuid = "nvmlDeviceGetUUID"(Raw, *mut c_char, c_uint);
    name = "nvmlDeviceGetName"(Raw, *mut c_char, c_uint);
    pci_info = "nvmlDeviceGetPciInfo_v3"(Raw, *mut CPciInfo);
    minor = "nvmlDeviceGetMinorNumber"(Raw, *mut c_uint);
    memory = "nvmlDeviceGetMemoryInfo"(Raw, *mut CMemory);
    bar1 = "nvmlDeviceGetBAR1MemoryInfo"(Raw, *mut CMemory);
    power_limit = "nvmlDeviceGetPowerManagementLimit"(Raw, *mut c_uint);
    power_usage = "nvmlDeviceGetPowerUsage"(Raw, *mut c_uint);
    max_clock = "nvmlDeviceGetMaxClockInfo"(Raw, c_uint, *mut c_uint);
    pcie_gen = "nvmlDeviceGetMaxPcieLinkGeneration"(Raw, *mut c_uint);
    pcie_width = "nvmlDeviceGetMaxPcieLinkWidth"(Raw, *mut c_uint);
    mig_mode = "nvmlDeviceGetMigMode"(Raw, *mut c_uint, *mut c_uint);
    max_mig = "nvmlDeviceGetMaxMigDeviceCount"(Raw, *mut c_uint);
    mig_by_index = "nvmlDeviceGetMigDeviceHandleByIndex"(Raw, c_uint, *mut Raw);
    utilization = "nvmlDeviceGetUtilizationRates"(Raw, *mut CUtilization);
    temperature = "nvmlDeviceGetTemperature"(Raw, c_uint, *mut c_uint);
    ecc = "nvmlDeviceGetTotalEccErrors"(Raw, c_uint, c_uint, *mut c_ulonglong);
}

type UintFn = unsafe extern "C" fn(Raw, *mut c_uint) -> c_uint;
type StringFn = unsafe extern "C" fn(Raw, *mut c_char, c_uint) -> c_uint;
type MemoryFn = unsafe extern "C" fn(Raw, *mut CMemory) -> c_uint;
/// An [`Api`] accessor: the function pointer and its NVML name.
type Getter<F> = fn(&Api) -> NvmlResult<(F, &'static str)>;

fn check(function: &'static str, rc: c_uint) -> NvmlResult<()> {
    if rc == Return::SUCCESS.0 {
        Ok(())
    } else {
        Err(NvmlError::new(function, Return(rc)))
    }
}

fn c_string(buf: &[c_char]) -> String {
    // SAFETY-free conversion: reinterpret the c_char buffer as bytes and stop at the first NUL,
    // or take it whole when NVML filled it without one.
    let bytes: Vec<u8> = buf.iter().map(|&c| c as u8).collect();
    match CStr::from_bytes_until_nul(&bytes) {
        Ok(s) => s.to_string_lossy().into_owned(),
        Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// NVML loaded from a shared library.
pub struct DynamicNvml {
    path: String,
    api: Api,
    handles: Mutex<Vec<RawDevice>>,
    // Declared last so it is dropped after `Drop::drop` has called nvmlShutdown.
    _lib: Library,
}

impl DynamicNvml {
    /// Opens NVML from `$YURT_NVML_LIBRARY` if set, else from [`SEARCH_PATHS`], and initialises it.
    pub fn open_default() -> Result<DynamicNvml, LoadError> {
        match std::env::var(LIBRARY_ENV) {
            Ok(p) if !p.is_empty() => Self::open(&[p.as_str()]),
            _ => Self::open(SEARCH_PATHS),
        }
    }

    /// Opens the first of `candidates` that loads, and calls `nvmlInit_v2`.
    pub fn open(candidates: &[&str]) -> Result<DynamicNvml, LoadError> {
        let mut tried = Vec::new();
        for &path in candidates {
            // SAFETY: loading a shared library runs its initialisers; NVML's are benign, and
            // the candidates are NVML paths chosen by the operator or this plugin.
            match unsafe { Library::new(path) } {
                Ok(lib) => return Self::init(path, lib),
                Err(e) => tried.push((path.to_string(), e.to_string())),
            }
        }
        Err(LoadError::NotFound { tried })
    }

    fn init(path: &str, lib: Library) -> Result<DynamicNvml, LoadError> {
        // SAFETY: the library is kept in the returned value, after the pointers' last use.
        let api = unsafe { Api::resolve(&lib) };
        for (present, symbol) in [
            (api.init.is_some(), "nvmlInit_v2"),
            (api.count.is_some(), "nvmlDeviceGetCount_v2"),
            (api.by_index.is_some(), "nvmlDeviceGetHandleByIndex_v2"),
            (api.uuid.is_some(), "nvmlDeviceGetUUID"),
        ] {
            if !present {
                return Err(LoadError::MissingSymbol {
                    path: path.to_string(),
                    symbol,
                });
            }
        }
        let (f, _) = api.init().map_err(|e| LoadError::Init {
            path: path.to_string(),
            code: e.code,
        })?;
        // SAFETY: nvmlInit_v2 takes no arguments.
        let rc = unsafe { f() };
        if rc != Return::SUCCESS.0 {
            return Err(LoadError::Init {
                path: path.to_string(),
                code: Return(rc),
            });
        }
        Ok(DynamicNvml {
            path: path.to_string(),
            api,
            handles: Mutex::new(Vec::new()),
            _lib: lib,
        })
    }

    fn intern(&self, raw: Raw) -> Handle {
        let mut t = self.handles.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = t.iter().position(|h| h.0 == raw) {
            return Handle(i);
        }
        t.push(RawDevice(raw));
        Handle(t.len() - 1)
    }

    fn raw(&self, function: &'static str, h: Handle) -> NvmlResult<Raw> {
        let t = self.handles.lock().unwrap_or_else(|p| p.into_inner());
        t.get(h.0)
            .map(|r| r.0)
            .ok_or(NvmlError::new(function, Return::INVALID_ARGUMENT))
    }

    fn uint(&self, d: Handle, get: Getter<UintFn>) -> NvmlResult<u32> {
        let (f, name) = get(&self.api)?;
        let raw = self.raw(name, d)?;
        let mut v: c_uint = 0;
        // SAFETY: `raw` came from NVML; `v` outlives the call.
        check(name, unsafe { f(raw, &mut v) })?;
        Ok(v)
    }

    fn string(&self, d: Handle, len: usize, get: Getter<StringFn>) -> NvmlResult<String> {
        let (f, name) = get(&self.api)?;
        let raw = self.raw(name, d)?;
        let mut buf = vec![0 as c_char; len];
        let cap = c_uint::try_from(len).unwrap_or(c_uint::MAX);
        // SAFETY: the buffer has `cap` writable bytes.
        check(name, unsafe { f(raw, buf.as_mut_ptr(), cap) })?;
        Ok(c_string(&buf))
    }

    fn mem(&self, d: Handle, get: Getter<MemoryFn>) -> NvmlResult<Memory> {
        let (f, name) = get(&self.api)?;
        let raw = self.raw(name, d)?;
        let mut m = CMemory::default();
        // SAFETY: `m` has nvmlMemory_t's (and nvmlBAR1Memory_t's) layout.
        check(name, unsafe { f(raw, &mut m) })?;
        Ok(Memory {
            total: m.total,
            free: m.free,
            used: m.used,
        })
    }
}

impl Drop for DynamicNvml {
    fn drop(&mut self) {
        if let Ok((f, _)) = self.api.shutdown() {
            // SAFETY: nvmlShutdown takes no arguments; the library is still loaded.
            let _ = unsafe { f() };
        }
    }
}

impl Nvml for DynamicNvml {
    fn describe(&self) -> String {
        format!("NVML from {}", self.path)
    }

    fn driver_version(&self) -> NvmlResult<String> {
        let (f, name) = self.api.driver_version()?;
        let mut buf = [0 as c_char; VERSION_BUFFER];
        // SAFETY: the buffer has VERSION_BUFFER writable bytes.
        check(name, unsafe {
            f(buf.as_mut_ptr(), VERSION_BUFFER as c_uint)
        })?;
        Ok(c_string(&buf))
    }

    fn cuda_driver_version(&self) -> NvmlResult<i32> {
        let (f, name) = self.api.cuda_version()?;
        let mut v: c_int = 0;
        // SAFETY: `v` outlives the call.
        check(name, unsafe { f(&mut v) })?;
        Ok(v)
    }

    fn device_count(&self) -> NvmlResult<u32> {
        let (f, name) = self.api.count()?;
        let mut n: c_uint = 0;
        // SAFETY: `n` outlives the call.
        check(name, unsafe { f(&mut n) })?;
        Ok(n)
    }

    fn device_by_index(&self, index: u32) -> NvmlResult<Handle> {
        let (f, name) = self.api.by_index()?;
        let mut raw: Raw = std::ptr::null_mut();
        // SAFETY: `raw` outlives the call; NVML writes a handle into it.
        check(name, unsafe { f(index, &mut raw) })?;
        Ok(self.intern(raw))
    }

    fn uuid(&self, d: Handle) -> NvmlResult<String> {
        self.string(d, UUID_BUFFER, Api::uuid)
    }

    fn name(&self, d: Handle) -> NvmlResult<String> {
        self.string(d, NAME_BUFFER, Api::name)
    }

    fn pci_bus_id(&self, d: Handle) -> NvmlResult<String> {
        let (f, name) = self.api.pci_info()?;
        let raw = self.raw(name, d)?;
        let mut p = CPciInfo {
            bus_id_legacy: [0; 16],
            domain: 0,
            bus: 0,
            device: 0,
            pci_device_id: 0,
            pci_sub_system_id: 0,
            bus_id: [0; 32],
        };
        // SAFETY: `p` has nvmlPciInfo_t's layout (v3).
        check(name, unsafe { f(raw, &mut p) })?;
        Ok(c_string(&p.bus_id))
    }

    fn minor_number(&self, d: Handle) -> NvmlResult<u32> {
        self.uint(d, Api::minor)
    }

    fn memory(&self, d: Handle) -> NvmlResult<Memory> {
        self.mem(d, Api::memory)
    }

    fn bar1(&self, d: Handle) -> NvmlResult<Memory> {
        self.mem(d, Api::bar1)
    }

    fn power_limit_mw(&self, d: Handle) -> NvmlResult<u32> {
        self.uint(d, Api::power_limit)
    }

    fn power_usage_mw(&self, d: Handle) -> NvmlResult<u32> {
        self.uint(d, Api::power_usage)
    }

    fn max_clock_mhz(&self, d: Handle, clock: Clock) -> NvmlResult<u32> {
        let (f, name) = self.api.max_clock()?;
        let raw = self.raw(name, d)?;
        let kind: c_uint = match clock {
            Clock::Graphics => 0,
            Clock::Memory => 2,
        };
        let mut v: c_uint = 0;
        // SAFETY: `v` outlives the call.
        check(name, unsafe { f(raw, kind, &mut v) })?;
        Ok(v)
    }

    fn max_pcie_generation(&self, d: Handle) -> NvmlResult<u32> {
        self.uint(d, Api::pcie_gen)
    }

    fn max_pcie_width(&self, d: Handle) -> NvmlResult<u32> {
        self.uint(d, Api::pcie_width)
    }

    fn mig_enabled(&self, d: Handle) -> NvmlResult<bool> {
        let (f, name) = self.api.mig_mode()?;
        let raw = self.raw(name, d)?;
        let (mut current, mut pending): (c_uint, c_uint) = (0, 0);
        // SAFETY: both outlive the call.
        check(name, unsafe { f(raw, &mut current, &mut pending) })?;
        Ok(current == MIG_ENABLE)
    }

    fn max_mig_devices(&self, d: Handle) -> NvmlResult<u32> {
        self.uint(d, Api::max_mig)
    }

    fn mig_device_by_index(&self, d: Handle, index: u32) -> NvmlResult<Handle> {
        let (f, name) = self.api.mig_by_index()?;
        let parent = self.raw(name, d)?;
        let mut raw: Raw = std::ptr::null_mut();
        // SAFETY: `raw` outlives the call; NVML writes a handle into it.
        check(name, unsafe { f(parent, index, &mut raw) })?;
        Ok(self.intern(raw))
    }

    fn utilization(&self, d: Handle) -> NvmlResult<Utilization> {
        let (f, name) = self.api.utilization()?;
        let raw = self.raw(name, d)?;
        let mut u = CUtilization::default();
        // SAFETY: `u` has nvmlUtilization_t's layout.
        check(name, unsafe { f(raw, &mut u) })?;
        Ok(Utilization {
            gpu: u.gpu,
            memory: u.memory,
        })
    }

    fn temperature_c(&self, d: Handle) -> NvmlResult<u32> {
        let (f, name) = self.api.temperature()?;
        let raw = self.raw(name, d)?;
        let mut v: c_uint = 0;
        // SAFETY: `v` outlives the call; sensor 0 is NVML_TEMPERATURE_GPU.
        check(name, unsafe { f(raw, 0, &mut v) })?;
        Ok(v)
    }

    fn ecc_errors(&self, d: Handle, kind: EccKind) -> NvmlResult<u64> {
        let (f, name) = self.api.ecc()?;
        let raw = self.raw(name, d)?;
        let t: c_uint = match kind {
            EccKind::Corrected => 0,
            EccKind::Uncorrected => 1,
        };
        let mut v: c_ulonglong = 0;
        // SAFETY: `v` outlives the call; counter 0 is NVML_VOLATILE_ECC.
        check(name, unsafe { f(raw, t, 0, &mut v) })?;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_library_is_a_clean_error_naming_every_path() {
        let e = match DynamicNvml::open(&["/nonexistent/libnvidia-ml.so.1", "libnot-nvml.so.9"]) {
            Err(e) => e,
            Ok(_) => panic!("opened a library that does not exist"),
        };
        let text = e.to_string();
        assert!(text.starts_with("no NVML: "), "{text}");
        assert!(text.contains("/nonexistent/libnvidia-ml.so.1: "), "{text}");
        assert!(text.contains("libnot-nvml.so.9: "), "{text}");
    }

    #[test]
    fn a_library_that_is_not_nvml_is_refused_by_symbol() {
        // libc is always present and has none of NVML's functions.
        let e = match DynamicNvml::open(&["libc.so.6"]) {
            Err(e) => e,
            Ok(_) => panic!("libc accepted as NVML"),
        };
        assert_eq!(
            e,
            LoadError::MissingSymbol {
                path: "libc.so.6".into(),
                symbol: "nvmlInit_v2"
            }
        );
    }

    #[test]
    fn c_strings_stop_at_nul_and_survive_a_full_buffer() {
        let mut buf = [0 as c_char; 8];
        for (i, b) in b"GPU-1".iter().enumerate() {
            buf[i] = *b as c_char;
        }
        assert_eq!(c_string(&buf), "GPU-1");
        let full = [b'x' as c_char; 4];
        assert_eq!(c_string(&full), "xxxx");
    }

    #[test]
    fn struct_layouts_match_nvml_h() {
        assert_eq!(std::mem::size_of::<CMemory>(), 24);
        assert_eq!(std::mem::size_of::<CUtilization>(), 8);
        // 16 + 5 * 4 + 32
        assert_eq!(std::mem::size_of::<CPciInfo>(), 68);
        assert_eq!(std::mem::offset_of!(CPciInfo, bus_id), 36);
    }
}
