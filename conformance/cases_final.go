package conformance

// finalCases run last: they judge the whole run.
func finalCases() []Case {
	return []Case{
		{ID: "handshake/stderr-safe-json-throughout", Level: Required, Kind: AnyPlugin, NoInfo: true,
			// Required: one such line, whenever it comes (at start, in
			// StartTask, in a stats loop), panics a bare go-plugin host, and
			// Nomad's agent with it.
			Doc: "over the whole run, no plugin stderr line has a non-string @message, @level or @timestamp (go-plugin's host panics on one, whenever it comes)",
			Run: caseHandshakeStderrSafeJSONThroughout},
		{ID: "nomad/replies-decode", Level: Required, Kind: AnyPlugin, NoInfo: true,
			// Required: Nomad's Go client fails, drops or panics on such a
			// message (a nil result or timestamp is a nil dereference in
			// plugins/drivers/utils.go), whichever call it answers.
			Doc: "over the whole run, every reply and stream message decodes the way Nomad's Go client decodes it (go/host validate.go: timestamps present and in range, enums known, results present, CPU figures finite)",
			Run: caseNomadRepliesDecode},
		{ID: "driver/no-leaked-tasks", Level: Required, Kind: DriverPlugin,
			// Required: a process the plugin lost track of survives job stop
			// and agent shutdown under Nomad, holding the task's resources.
			Doc: "every process of every task the run started (found by the YURT_CONFORMANCE_RUN marker in its environment) is gone once its case's cleanup (StopTask, DestroyTask with force) is over",
			Run: caseDriverNoLeakedTasks},
	}
}

// caseHandshakeStderrSafeJSONThroughout is case handshake/stderr-safe-json-throughout.
func caseHandshakeStderrSafeJSONThroughout(t *T) {
	n, bad := t.H.logs.snapshot()
	for i, b := range bad {
		if i == 5 {
			t.Errorf("%d more such lines", len(bad)-5)
			break
		}
		t.Errorf("%s", b)
	}
	t.Logf("%d stderr lines checked over the run", n)
}

// caseNomadRepliesDecode is case nomad/replies-decode.
func caseNomadRepliesDecode(t *T) {
	n, bad := t.H.replies.snapshot()
	for i, b := range bad {
		if i == 5 {
			t.Errorf("%d more such replies", len(bad)-5)
			break
		}
		t.Errorf("%s", b)
	}
	t.Logf("%d replies checked over the run", n)
}

// caseDriverNoLeakedTasks is case driver/no-leaked-tasks.
func caseDriverNoLeakedTasks(t *T) {
	t.H.mu.Lock()
	leaks, started := append([]string(nil), t.H.leaks...), t.H.tasksStarted
	t.H.mu.Unlock()
	if started == 0 && len(leaks) == 0 {
		t.Skipf("not applicable: no task was started in this run")
	}
	for _, l := range leaks {
		t.Errorf("task processes left running %s (the harness killed them)", l)
	}
	t.Logf("%d tasks started", started)
}
