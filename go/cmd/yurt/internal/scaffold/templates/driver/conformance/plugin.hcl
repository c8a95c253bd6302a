# The plugin config yurt-conformance sends: the body of the Nomad client's
# plugin "__NAME__" { config { ... } } block. Empty: every schema default applies.
