//! The `nvidia-gpu` plugin binary: put it in a Nomad agent's `plugin_dir`.

fn main() -> std::process::ExitCode {
    yurt::serve_device(nvidia_gpu::NvidiaPlugin::new())
}
