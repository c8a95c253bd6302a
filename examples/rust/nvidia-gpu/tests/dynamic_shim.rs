//! The real `dlopen` NVML backend against `tests/shim/nvml-shim.c`, a stand-in library with
//! NVML's C ABI compiled here with `cc` (the Rust linker on Linux, so always present). This is the
//! mock of what cannot run without a GPU: it proves the symbol lookup, argument passing, buffer
//! handling and handle table work end to end, and the plugin logic on top of them. Whether the
//! struct layouts match NVIDIA's library is checked only by gpu-check.sh on real hardware.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use nvidia_gpu::nvml::dynamic::{DynamicNvml, LoadError};
use nvidia_gpu::nvml::{Clock, EccKind, Nvml, Return};
use nvidia_gpu::{fingerprint, inventory, reserve, stats};
use yurt::base::AttributeValue;

fn build_shim(dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shim/nvml-shim.c");
    let out = dir.join("libnvidia-ml.so.1");
    let status = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o"])
        .arg(&out)
        .arg(&src)
        .status()
        .expect("running cc to build the NVML shim");
    assert!(status.success(), "cc failed to build {}", src.display());
    out
}

#[test]
fn the_dlopen_backend_speaks_nvml_abi_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let lib = build_shim(dir.path());
    let path = lib.to_str().unwrap();
    let nvml = match DynamicNvml::open(&["/nonexistent/libnvidia-ml.so.1", path]) {
        Ok(n) => n,
        Err(e) => panic!("opening the shim: {e}"),
    };
    assert_eq!(nvml.describe(), format!("NVML from {path}"));
    assert_eq!(nvml.driver_version().unwrap(), "999.12.34");
    assert_eq!(nvml.cuda_driver_version().unwrap(), 12080);
    assert_eq!(nvml.device_count().unwrap(), 2);
    let g0 = nvml.device_by_index(0).unwrap();
    assert_eq!(nvml.device_by_index(0).unwrap(), g0, "handles are interned");
    assert_eq!(nvml.uuid(g0).unwrap(), "GPU-shim-0");
    assert_eq!(nvml.pci_bus_id(g0).unwrap(), "00000000:41:00.0");
    assert_eq!(nvml.max_clock_mhz(g0, Clock::Graphics).unwrap(), 1500);
    assert_eq!(nvml.max_clock_mhz(g0, Clock::Memory).unwrap(), 877);
    assert_eq!(nvml.ecc_errors(g0, EccKind::Corrected).unwrap(), 5);
    assert_eq!(nvml.ecc_errors(g0, EccKind::Uncorrected).unwrap(), 0);
    assert_eq!(nvml.temperature_c(g0).unwrap(), 47);
    let e = nvml.device_by_index(9).unwrap_err();
    assert_eq!(
        e.to_string(),
        "nvmlDeviceGetHandleByIndex_v2: NVML_ERROR_INVALID_ARGUMENT (2)"
    );
    let g1 = nvml.device_by_index(1).unwrap();
    assert!(nvml.mig_enabled(g1).unwrap());
    assert_eq!(
        nvml.mig_device_by_index(g1, 0).unwrap_err().code,
        Return::NOT_FOUND
    );

    // The plugin's logic on top of the real backend.
    let inv = inventory::scan(&nvml, &BTreeSet::new(), None).unwrap();
    assert!(inv.warnings.is_empty(), "{:?}", inv.warnings);
    let groups = fingerprint::groups(&inv);
    let shape: Vec<(&str, Vec<&str>)> = groups
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
            ("Shim GPU", vec!["GPU-shim-0"]),
            ("Shim GPU MIG 1g.5gb", vec!["MIG-shim-2"]),
        ]
    );
    let a = &groups[0].attributes;
    assert_eq!(a["memory"].value, AttributeValue::Int(16384));
    assert_eq!(a["power"].value, AttributeValue::Int(250));
    assert_eq!(a["bar1"].value, AttributeValue::Int(256));
    assert_eq!(a["pci_bandwidth"].value, AttributeValue::Int(1969 * 16));
    assert_eq!(
        a["cuda_version"].value,
        AttributeValue::String("12.8".into())
    );
    let mig = &groups[1];
    assert_eq!(mig.attributes["memory"].value, AttributeValue::Int(5120));
    assert_eq!(
        mig.attributes["cores_clock"].value,
        AttributeValue::Int(1500)
    );
    assert_eq!(
        mig.devices[0].pci_bus_id.as_deref(),
        Some("00000000:42:00.0")
    );

    let s = stats::collect(&nvml, &inv, SystemTime::now());
    let g = &s[0].instances["GPU-shim-0"].stats.attributes;
    assert_eq!(g["GPU utilization"].int_numerator, Some(55));
    assert_eq!(
        (
            g["Power usage"].int_numerator,
            g["Power usage"].int_denominator
        ),
        (Some(61), Some(250))
    );
    assert_eq!(g["Memory used"].int_numerator, Some(1));
    assert_eq!(g["ECC errors corrected"].int_numerator, Some(5));

    let r = reserve::reserve(&inv, &["MIG-shim-2".to_string()]).unwrap();
    let nodes: Vec<_> = r.devices.iter().map(|d| d.host_path.as_str()).collect();
    assert_eq!(nodes, ["/dev/nvidia5", "/dev/nvidiactl", "/dev/nvidia-uvm"]);
}

#[test]
fn a_shim_without_init_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("empty.c");
    std::fs::write(&src, "int not_nvml(void) { return 0; }\n").unwrap();
    let out = dir.path().join("libempty.so");
    let ok = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-shared", "-fPIC", "-o"])
        .arg(&out)
        .arg(&src)
        .status()
        .expect("running cc")
        .success();
    assert!(ok);
    let p = out.to_str().unwrap();
    match DynamicNvml::open(&[p]) {
        Err(e) => assert_eq!(
            e,
            LoadError::MissingSymbol {
                path: p.into(),
                symbol: "nvmlInit_v2"
            }
        ),
        Ok(_) => panic!("a library without nvmlInit_v2 was accepted"),
    }
}
