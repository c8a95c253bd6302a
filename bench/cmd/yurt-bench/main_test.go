package main

import "testing"

func TestPartialRunKeepsBenchmarksMDWhole(t *testing.T) {
	if partialRun("", "", 0, 0, true, true, true, true) {
		t.Fatal("the default flags are a whole run")
	}
	for name, partial := range map[string]bool{
		"-only":         partialRun("go-floor", "", 0, 0, true, true, true, true),
		"-agent-steps":  partialRun("", "500", 0, 0, true, true, true, true),
		"-launches":     partialRun("", "", 3, 0, true, true, true, true),
		"-calls":        partialRun("", "", 0, 200, true, true, true, true),
		"-rest=false":   partialRun("", "", 0, 0, false, true, true, true),
		"-agent=false":  partialRun("", "", 0, 0, true, false, true, true),
		"-supervise=f":  partialRun("", "", 0, 0, true, true, false, true),
		"-pycold=false": partialRun("", "", 0, 0, true, true, true, false),
	} {
		if !partial {
			t.Errorf("%s is a partial run", name)
		}
	}
}
