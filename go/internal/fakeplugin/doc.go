// Command fakeplugin is the one fake Nomad plugin of this repository's tests:
// the conformance harness's self-test, go/host's tests, go/agent's tests,
// go/cmd/yurt's integration tests and scripts/demo.sh all run it.
//
// It speaks go-plugin's server side by hand (as a Python or Rust plugin
// would: no go-plugin import) over the generated gRPC servers, and serves
// either a task driver whose tasks are real processes under
// go/plugin/supervise (so they outlive this process, and a fresh plugin
// process recovers them from their handle), or a device plugin. Named fault
// switches make it break one rule each on purpose, so that every harness
// check and every host or agent guard can be shown to trip.
//
// # Usage
//
//	fakeplugin [-fault=NAME[,NAME...]] [-tcp] [-name NAME] [driver|device]
//
// Without a mode argument the mode is "device" when the program's file name
// contains "device", else "driver" (the agent's tests and the demo install
// one binary as yurt-testproc and yurt-testdevice). -name sets the name
// PluginInfo reports and the driver.<name>.* fingerprint attributes; it
// defaults to the program's file name less a "yurt-" prefix. -tcp listens
// on 127.0.0.1 in PLUGIN_MIN_PORT..PLUGIN_MAX_PORT instead of a unix socket.
// The binary re-executed as `fakeplugin yurt-supervise <dir>` is its tasks'
// supervisor.
//
// # Plugin config (SetConfig)
//
//	greeting     string, default "hello" (both modes)
//	label        string: the driver's fingerprint attribute driver.<name>.label
//	start_delay  duration: every StartTask sleeps that long first, ignoring
//	             its context, as a hung driver would ("1h": never answers)
//	count        number, default 2 (device): devices sim-0 .. sim-<count-1>
//
// A config of greeting alone is accepted in either mode. The fingerprint
// attribute driver.<name>.agent_compute shows what SetConfig's agent config
// said of the host: "<total MHz>/<cores>", or "none".
//
// # Tasks (driver mode)
//
// Task config: { command = string, args = list(string) }, run under a
// supervisor in <alloc_dir>/<task name> when that directory exists (Nomad's
// layout), else in alloc_dir; the task's environment is the plugin's plus
// the task's env and device env, and FAKEPLUGIN_MOUNTS / FAKEPLUGIN_DEVICES
// listing the mounts and devices it was given. Four task env variables
// switch one task's behaviour, for go/host's tests:
//
//	RUN_MS=<ms> [EXIT_CODE=<n>]  no process: an in-memory task that exits
//	                             with EXIT_CODE after RUN_MS (also after a
//	                             recover); exec on it echoes its command,
//	                             streaming exec echoes stdin ("tty:" first
//	                             with a tty) and exits with the word count
//	FAIL_RECOVERABLE=1           StartTask fails with a RecoverableError
//	FAIL_RESULT=RETRY|FATAL      StartTask answers that result (no error)
//	BAD_INSPECT=no-completed-at  InspectTask leaves completed_at out
//	BAD_INSPECT=state-9          InspectTask answers task state 9
//
// # Devices (device mode)
//
// One group yurt/gpu/sim of `count` devices sim-<n>; Reserve sets
// SIM_VISIBLE_DEVICES to the sorted IDs and gives one mount /sim/<id> and
// one device /dev/<id> (both /dev/null on the host) per device.
//
// # Fault switches
//
// Each is set by -fault=NAME (comma-separated) or by the environment
// variable FAKEPLUGIN_FAULT=NAME[,NAME...] (the same names; a test uses it to
// prove the environment it gives reaches the plugin). An unknown name is an
// error. "Not a fault" marks an honest variant that must pass the harness.
//
//	accept-malformed                 SetConfig accepts undecodable msgpack
//	bad-info                         PluginInfo lists API v9.9.9 and version "latest"
//	bad-logs                         malformed hclog lines (@message 123, @level 7) before serving
//	bad-schema                       ConfigSchema's greeting has type "strang"
//	bad-task-schema                  TaskConfigSchema has an unparseable type
//	bad-type                         PluginInfo answers plugin type 99
//	bad-unit                         the device attribute's unit is "parsecs"
//	caps-hide-exec                   Capabilities says no exec, yet ExecTask works
//	caps-hide-signals                Capabilities says no signals, yet SignalTask works
//	cert-always                      serves TLS even without PLUGIN_CLIENT_CERT
//	crash-on-cancel                  the device exits when a fingerprint stream is cancelled
//	crashy-logs                      hclog lines whose @message is a number
//	crashy-logs-late                 one bad hclog line (numeric @timestamp) at each StartTask
//	destroy-no-kill                  DestroyTask forgets a running task without killing it
//	destroy-running-ok               DestroyTask without force accepts a running task
//	device-stats-error               device Stats answers a plain error
//	device-streams-close             device streams end after one message
//	device-unhealthy                 every device is unhealthy
//	dies-on-sigint                   SIGINT is not ignored
//	duplicate-ids                    two devices share one ID
//	duplicate-ok                     a second StartTask of a running ID starts again
//	env-trim                         task env values are whitespace-trimmed
//	events-close                     TaskEvents ends at once
//	exec-no-resize                   streaming exec ignores terminal resizes
//	exec-no-stdin                    streaming exec drops stdin
//	exec-unimplemented               ExecTask and ExecTaskStreaming answer Unimplemented
//	exit-zero                        WaitTask always reports exit 0
//	fingerprint-fails                first fingerprint stream: healthy, then one with err, then an error; later ones stay silent
//	fingerprint-once                 each driver fingerprint stream ends after one message
//	first-offered-version            answers the first protocol version offered
//	ignore-cookie                    runs without the magic cookie
//	ignore-port-range                -tcp ignores PLUGIN_MIN_PORT/PLUGIN_MAX_PORT
//	ignore-socket-dir                the socket goes in TMPDIR, not PLUGIN_UNIX_SOCKET_DIR
//	init-error                       Init answers a plain error
//	leave-children                   tasks run without a supervisor: their children outlive them
//	no-client-auth                   TLS without verifying the client's certificate
//	no-device-stats                  not a fault: device Stats answers Unimplemented
//	no-health                        no grpc.health.v1 service
//	no-san                           the server certificate has no SAN
//	no-shutdown                      GRPCController.Shutdown does not stop the server
//	no-stderr                        task stderr is discarded
//	no-task-stats                    not a fault: TaskStats answers Unimplemented
//	nomad-device-stats-no-timestamp  device stats without a timestamp
//	nomad-exec-no-result             ExecTask reply without a result
//	nomad-no-completed-at            InspectTask without completed_at
//	nomad-no-result                  InspectTask of a running task without a result
//	nomad-stats-negative-cpu         task stats with system_mode -1
//	nomad-stats-no-timestamp         task stats without a timestamp
//	nomad-unknown-enum               Capabilities answers FSIsolation 9
//	nomad-unknown-health             driver fingerprint health 7
//	nomad-wait-no-result             WaitTask answers err with no result
//	nonjson-logs                     plain-text log lines instead of hclog JSON
//	pad-cert                         the handshake's certificate has base64 padding
//	print-before-bind                prints the handshake line before listening
//	recover-anything                 RecoverTask accepts any handle and tracks nothing
//	recover-made-up-exit             a recovered task's WaitTask answers exit 0 at once
//	recover-needs-config             RecoverTask refuses a handle without the task config
//	recover-needs-task-id            RecoverTask refuses an empty task_id
//	recover-restarts                 RecoverTask restarts the task instead of reattaching
//	reject-config                    SetConfig refuses every config
//	require-greeting                 SetConfig refuses the default greeting
//	reserve-anything                 Reserve accepts unknown device IDs
//	setconfig-once                   a second SetConfig fails
//	seventh-field                    a seventh handshake field "|true"
//	signal-dropped                   SignalTask answers OK and sends nothing
//	silent-fingerprint               the device fingerprint stream sends nothing
//	single-client                    one client connection, later ones never answered
//	slow-fingerprint                 the driver's first fingerprint waits 7s
//	stats-cumulative                 task stats percent is cumulative ticks
//	stats-error                      TaskStats answers a plain error
//	stats-fixed-interval             task stats ignore the interval asked (1s)
//	stats-no-ticks                   task stats without total_ticks
//	stats-once                       TaskStats ends after one message
//	stats-partial                    device stats for the first device only
//	stdout-noise                     prints to stdout after the handshake
//	stop-early-kill                  StopTask kills after 200ms, not the timeout
//	stop-kill-first                  StopTask sends SIGKILL at once
//	stop-no-kill                     StopTask never kills after the timeout
//	stop-noop                        StopTask does nothing
//	unhealthy                        the driver fingerprints unhealthy
//	unknown-task-text                an unknown task's error is not Nomad's text
//	unstable-ids                     device IDs change with every process
//	vague-config-error               an empty command's error names no field
//	wait-once                        a second WaitTask of an exited task fails
//	wait-single                      concurrent WaitTasks of one task fail
//	without-signals-exec             not a fault: no signals or exec, said so in Capabilities
//	wrong-version                    answers protocol version 1
package main
