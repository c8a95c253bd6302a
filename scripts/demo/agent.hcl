# Agent configuration for the demo: the example device plugin simulates four
# devices (it has none by default). data_dir and plugin_dir come from flags.
plugin "go-files" {
  config {
    simulated = 4
  }
}
