# Plugin config for the conformance harness: the body of Nomad's
# plugin "go-exec" { config { ... } } block.
default_stop_signal = "SIGTERM"
start_timeout       = "10s"
