package conformance

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/yurt-sdk/yurt/go/inputlimit"
)

// Scenarios says which task configurations play which role in driver cases. It
// is read from an HCL file; see README.md for the format.
type Scenarios struct {
	Tasks map[string]*TaskScenario
	Exec  *ExecScenario
}

// TaskScenario is one task role.
type TaskScenario struct {
	Role          string            `hcl:"role,label"`
	ExitCode      *int              `hcl:"exit_code,optional"`
	Stdout        *string           `hcl:"stdout,optional"`
	Stderr        *string           `hcl:"stderr,optional"`
	Signal        *string           `hcl:"signal,optional"`
	ErrorContains *string           `hcl:"error_contains,optional"`
	Env           map[string]string `hcl:"env,optional"`
	Config        *struct {
		Body hcl.Body `hcl:",remain"`
	} `hcl:"config,block"`
	Range hcl.Range
}

// ExecScenario is a command run inside a long_running task.
type ExecScenario struct {
	Command  []string `hcl:"command"`
	Stdout   *string  `hcl:"stdout,optional"`
	ExitCode *int     `hcl:"exit_code,optional"`
	// StdinCommand copies its stdin to its stdout (default: cat).
	StdinCommand []string `hcl:"stdin_command,optional"`
	// TTYCommand is run with a terminal (default: sh -c with test -t and
	// stty size); see DefaultTTYCommand for what it must print.
	TTYCommand []string `hcl:"tty_command,optional"`
}

// DefaultTTYCommand prints "isatty" when stdin and stdout are terminals, the
// terminal size ("ROWS COLS"), then after one line of input the size again,
// and exits 5.
var DefaultTTYCommand = []string{"sh", "-c", `if [ -t 0 ] && [ -t 1 ]; then echo isatty; fi; stty size; read line; stty size; exit 5`}

// Task roles a scenario file may define.
const (
	RoleLongRunning = "long_running" // runs until stopped
	RoleExitCode    = "exit_code"    // exits by itself with exit_code
	RoleOutput      = "output"       // writes stdout (and stderr) then exits 0
	RoleSignal      = "signal"       // on signal prints stdout and keeps running
	RoleInvalid     = "invalid"      // schema-valid config the driver rejects
	// The roles below talk to the harness through the directory named by
	// $YURT_CONFORMANCE_DIR (README.md, "Scenario file").
	RoleExitOnRequest = "exit_on_request" // writes pid; exits with exit_code once $DIR/exit exists
	RoleBackground    = "background"      // writes pid; starts a background process; writes ready; exits 0 once $DIR/exit exists
	RoleBusy          = "busy"            // writes pid; keeps one core busy until stopped
	RolePrintEnv      = "print_env"       // prints its environment (KEY=VALUE lines, like env) and exits 0
)

var roleNeeds = map[string][]string{
	RoleLongRunning: nil,
	RoleExitCode:    {"exit_code"},
	RoleOutput:      {"stdout"},
	RoleSignal:      {"signal", "stdout"},
	RoleInvalid:     {"error_contains"},
	// exit_on_request's exit_code must not be 0: the cases tell a real exit
	// status from a made-up success.
	RoleExitOnRequest: {"exit_code"},
	RoleBackground:    nil,
	RoleBusy:          nil,
	RolePrintEnv:      nil,
}

// LoadScenarios reads a scenario file.
func LoadScenarios(path string) (*Scenarios, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	return ParseScenarios(src, path)
}

// ParseScenarios parses scenario HCL; errors name file, line and field.
func ParseScenarios(src []byte, filename string) (*Scenarios, error) {
	// HCL's parser recurses per nesting level; check before it runs.
	if err := inputlimit.CheckHCL(src, filename, inputlimit.MaxNesting); err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return nil, fmt.Errorf("scenarios: %s", diags.Error())
	}
	var raw struct {
		Tasks []*TaskScenario `hcl:"task,block"`
		Exec  *ExecScenario   `hcl:"exec,block"`
	}
	if diags := gohcl.DecodeBody(f.Body, nil, &raw); diags.HasErrors() {
		return nil, fmt.Errorf("scenarios: %s", diags.Error())
	}
	s := &Scenarios{Tasks: map[string]*TaskScenario{}, Exec: raw.Exec}
	blocks, _ := f.Body.(*hclsyntax.Body)
	for i, t := range raw.Tasks {
		if blocks != nil {
			t.Range = taskRange(blocks, i)
		}
		needs, ok := roleNeeds[t.Role]
		if !ok {
			return nil, fmt.Errorf("scenarios: %s: task %q: expected a role among %s", t.Range, t.Role, strings.Join(roleNames(), ", "))
		}
		if _, dup := s.Tasks[t.Role]; dup {
			return nil, fmt.Errorf("scenarios: %s: task %q defined twice", t.Range, t.Role)
		}
		for _, n := range needs {
			missing := (n == "exit_code" && t.ExitCode == nil) || (n == "stdout" && t.Stdout == nil) ||
				(n == "signal" && t.Signal == nil) || (n == "error_contains" && t.ErrorContains == nil)
			if missing {
				return nil, fmt.Errorf("scenarios: %s: task %q: attribute %s is required for this role", t.Range, t.Role, n)
			}
		}
		if t.Role == RoleExitOnRequest && *t.ExitCode == 0 {
			return nil, fmt.Errorf("scenarios: %s: task %q: exit_code: expected a non-zero exit code, got 0", t.Range, t.Role)
		}
		if t.Config == nil {
			return nil, fmt.Errorf("scenarios: %s: task %q: expected a config block", t.Range, t.Role)
		}
		s.Tasks[t.Role] = t
	}
	if s.Exec != nil && len(s.Exec.Command) == 0 {
		return nil, fmt.Errorf("scenarios: exec.command: expected at least one word, got none")
	}
	return s, nil
}

func roleNames() []string {
	var out []string
	for r := range roleNeeds {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

func taskRange(b *hclsyntax.Body, n int) hcl.Range {
	i := 0
	for _, blk := range b.Blocks {
		if blk.Type != "task" {
			continue
		}
		if i == n {
			return blk.DefRange()
		}
		i++
	}
	return hcl.Range{}
}
