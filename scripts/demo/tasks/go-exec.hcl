# Demo task for the Go example driver (examples/go, go-exec) with one
# simulated device from the Go example device plugin (go-files).
task "demo-go" {
  driver = "go-exec"
  config {
    command = "/bin/sh"
    args    = ["-c", "echo \"hello from go-exec, devices: $YURT_FILES_DEVICES\"; i=0; while :; do echo \"tick $i\"; i=$((i+1)); sleep 0.2; done"]
  }
  kill_signal  = "SIGTERM"
  kill_timeout = "2s"
  resources {
    memory = 16
    device "yurt/file" { count = 1 }
  }
}
