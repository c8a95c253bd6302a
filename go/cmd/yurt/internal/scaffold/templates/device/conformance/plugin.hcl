# The plugin config yurt-conformance sends: the body of the Nomad client's
# plugin "__NAME__" { config { ... } } block.
ids = ["dev0", "dev1"]
