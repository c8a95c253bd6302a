# Demo task for the repository's fake plugin (go/internal/fakeplugin) as testproc,
# used when the example plugins are not built. One file per driver: the demo
# runs every file here whose driver is loaded.
task "demo-testproc" {
  driver = "testproc"
  config {
    command = "/bin/sh"
    args    = ["-c", "echo \"hello from testproc, devices: $SIM_VISIBLE_DEVICES\"; i=0; while :; do echo \"tick $i\"; i=$((i+1)); sleep 0.2; done"]
  }
  kill_signal  = "SIGTERM"
  kill_timeout = "2s"
  resources {
    memory = 16
    device "yurt/gpu/sim" { count = 1 }
  }
}
