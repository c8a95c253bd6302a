# Plugin config for the conformance harness: two files that exist on every
# Linux machine, so both devices are healthy.
paths              = ["/dev/null", "/etc/passwd"]
fingerprint_period = "1s"
