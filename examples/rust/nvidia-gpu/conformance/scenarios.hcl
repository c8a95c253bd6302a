# Scenario roles (task "long_running", "exit_code", ..., exec) configure driver cases only.
# A device plugin runs no tasks, so this file defines none; the device cases need no scenario.
