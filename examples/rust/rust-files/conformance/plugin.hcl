# Plugin config for the conformance harness: two static devices.
ids = ["dev-a", "dev-b"]
