# Body of the agent's plugin "nvidia-gpu" { config { ... } } block for the conformance run on
# the fake NVML. The path is relative to the plugin's working directory:
# run yurt-conformance from examples/rust/nvidia-gpu (the Makefile's `conformance` target does).
fake_nvml          = "conformance/fake-gpus.json"
fingerprint_period = "2s"
ignored_gpu_ids    = []
