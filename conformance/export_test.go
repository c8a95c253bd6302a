package conformance

// FindMarked lists the pids of live processes whose environment holds key=value.
func FindMarked(key, value string) []int {
	var out []int
	for _, p := range findMarked(key, value) {
		out = append(out, p.Pid)
	}
	return out
}
