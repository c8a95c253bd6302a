# Plugin config for the conformance harness: the body of Nomad's
# plugin "rust-exec" { config { ... } } block. state_dir is
# left to its default (a directory under the system temp dir).
