# Real NVML: no fake_nvml. A short period so changes show within the run.
fingerprint_period = "5s"
