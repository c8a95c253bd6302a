# Plugin config for the conformance harness: one real file device and two
# simulated ones, fingerprinted often so the harness sees changes quickly.
paths              = ["/dev/null"]
simulated          = 2
fingerprint_period = "1s"
