//! Fake GPUs shared by the unit tests.

use crate::nvml::fake::{FakeGpu, FakeMig, FakeNvml, FakeSpec};

/// A spec with default driver and CUDA versions.
pub fn spec(gpus: Vec<FakeGpu>) -> FakeSpec {
    FakeSpec {
        driver_version: "550.54.15".into(),
        cuda_version: 12040,
        init_error: None,
        count_error_after_scans: None,
        gpus,
    }
}

/// A fake NVML with these GPUs.
pub fn fake(gpus: Vec<FakeGpu>) -> FakeNvml {
    FakeNvml::from_spec("test", spec(gpus)).expect("test fake spec is valid")
}

/// An H100 SXM with plausible numbers.
pub fn h100(uuid: &str) -> FakeGpu {
    FakeGpu {
        uuid: uuid.into(),
        name: "NVIDIA H100 80GB HBM3".into(),
        memory_mib: 81559,
        memory_used_mib: 1024,
        bar1_mib: 131072,
        power_limit_w: 700,
        power_draw_w: 120,
        graphics_clock_mhz: 1980,
        memory_clock_mhz: 2619,
        pcie_generation: 5,
        pcie_width: 16,
        gpu_utilization: 37,
        memory_utilization: 12,
        temperature_c: 41,
        ..Default::default()
    }
}

/// An H100 in MIG mode with 1g.10gb instances.
pub fn mig_gpu(uuid: &str, instances: &[&str]) -> FakeGpu {
    FakeGpu {
        mig: instances
            .iter()
            .map(|u| FakeMig {
                uuid: (*u).into(),
                name: "NVIDIA H100 80GB HBM3 MIG 1g.10gb".into(),
                memory_mib: 9984,
                memory_used_mib: 13,
            })
            .collect(),
        ..h100(uuid)
    }
}
