# Agent configuration for the demo: the example device plugin simulates two
# devices (it has none by default). data_dir and plugin_dir come from flags.
plugin "yurt-files" {
  config {
    simulated = 2
  }
}
