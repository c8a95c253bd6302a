package supervise

import (
	"errors"
	"os/exec"
)

func newCmd(name string, args ...string) *exec.Cmd { return exec.Command(name, args...) }

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(ee.Stderr)
	}
	return ""
}
