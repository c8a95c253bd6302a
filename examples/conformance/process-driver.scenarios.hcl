# Task roles for the conformance harness (see conformance/README.md), shared by
# the three example process drivers (go-exec, python-exec, rust-exec): each one's
# conformance/scenarios.hcl is a link to this file, since their task config
# schema is the same: { command = string, args = list(string) }.
task "long_running" {
  config {
    command = "sleep"
    args    = ["3600"]
  }
}

task "exit_code" {
  exit_code = 3
  config {
    command = "sh"
    args    = ["-c", "exit 3"]
  }
}

task "output" {
  stdout = "hello from the task"
  stderr = "and from stderr"
  config {
    command = "sh"
    args    = ["-c", "echo hello from the task; echo and from stderr >&2"]
  }
}

task "signal" {
  signal = "SIGUSR1"
  stdout = "got usr1"
  config {
    command = "sh"
    args    = ["-c", "trap 'echo got usr1' USR1; touch \"$YURT_CONFORMANCE_DIR/ready\"; while true; do sleep 0.1; done"]
  }
}

task "invalid" {
  error_contains = "command"
  config {
    command = ""
  }
}

# The roles below talk to the harness through $YURT_CONFORMANCE_DIR (see
# conformance/README.md).
task "exit_on_request" {
  exit_code = 7
  config {
    command = "sh"
    args    = ["-c", "echo $$ > \"$YURT_CONFORMANCE_DIR/pid\"; until [ -e \"$YURT_CONFORMANCE_DIR/exit\" ]; do sleep 0.05; done; exit 7"]
  }
}

task "background" {
  config {
    command = "sh"
    args    = ["-c", "echo $$ > \"$YURT_CONFORMANCE_DIR/pid\"; sleep 3600 & echo $! > \"$YURT_CONFORMANCE_DIR/child\"; until [ -e \"$YURT_CONFORMANCE_DIR/exit\" ]; do sleep 0.05; done; exit 0"]
  }
}

task "busy" {
  config {
    command = "sh"
    args    = ["-c", "echo $$ > \"$YURT_CONFORMANCE_DIR/pid\"; while :; do :; done"]
  }
}

task "print_env" {
  config {
    command = "env"
  }
}

exec {
  command   = ["sh", "-c", "echo exec says hi; exit 4"]
  stdout    = "exec says hi"
  exit_code = 4
}
