package config

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/yurt-sdk/yurt/go/inputlimit"
)

// Defaults applied when a task file leaves the field out (Nomad's values).
const (
	DefaultKillTimeout = 5 * time.Second
	DefaultKillSignal  = "SIGINT"
	DefaultLogFiles    = 10
	DefaultLogFileMB   = 10
)

// Task is one `task "name" { ... }` block of a task file.
type Task struct {
	Name   string
	Driver string
	// Config is the body of the `config` block, decoded later with the
	// driver's TaskConfigSchema. Never nil: an absent block is an empty body.
	Config      hcl.Body
	Env         map[string]string
	User        string
	KillTimeout time.Duration
	KillSignal  string
	Resources   Resources
	Logs        Logs
	DefRange    hcl.Range
}

// Resources is the task's `resources` block.
type Resources struct {
	CPU      int // MHz, as in Nomad
	MemoryMB int
	Devices  []DeviceRequest
}

// Logs is the task's `logs` block: size-based rotation of captured output.
type Logs struct {
	MaxFiles      int
	MaxFileSizeMB int
}

// DeviceRequest is `device "vendor/type/name" { count = N }`. The name may
// also be "type" or "vendor/type", matching any device of that kind.
type DeviceRequest struct {
	Name   string
	Vendor string
	Type   string
	Model  string
	Count  int
	Range  hcl.Range
}

// Matches reports whether a device group with these identifiers satisfies
// the request.
func (d DeviceRequest) Matches(vendor, typ, name string) bool {
	return d.Type == typ && (d.Vendor == "" || d.Vendor == vendor) && (d.Model == "" || d.Model == name)
}

var taskFileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "task", LabelNames: []string{"name"}}},
}

var taskSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "driver", Required: true},
		{Name: "env"},
		{Name: "user"},
		{Name: "kill_timeout"},
		{Name: "kill_signal"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "config"},
		{Type: "resources"},
		{Type: "logs"},
	},
}

var resourcesSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "cpu"}, {Name: "memory"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "device", LabelNames: []string{"name"}}},
}

var deviceSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "count"}},
}

var logsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "max_files"}, {Name: "max_file_size"}},
}

// TaskNamePattern is the form a task name must take: it names directories.
var TaskNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

var deviceNamePart = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// ParseTasks parses a task file holding one or more task blocks.
// Every error is a *DiagError listing all problems with file:line:col.
func ParseTasks(src []byte, filename string) ([]*Task, error) {
	if d := CheckSource(src, filename, "task file", inputlimit.MaxTaskFileBytes); d.HasErrors() {
		return nil, Diags(d)
	}
	file, diags := hclparse.NewParser().ParseHCL(src, filename)
	if diags.HasErrors() {
		return nil, Diags(diags)
	}
	content, diags := file.Body.Content(taskFileSchema)
	if diags.HasErrors() {
		return nil, Diags(diags)
	}
	if len(content.Blocks) == 0 {
		return nil, Diags(hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No task",
			Detail:   `a task file needs at least one block of the form task "name" { driver = "..." }`,
			Subject:  file.Body.MissingItemRange().Ptr(),
		}})
	}
	var tasks []*Task
	seen := map[string]hcl.Range{}
	for _, blk := range content.Blocks {
		t, td := parseTask(blk)
		diags = append(diags, td...)
		if t == nil {
			continue
		}
		if prev, dup := seen[t.Name]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate task",
				Detail:   fmt.Sprintf("task %q is already defined at %s", t.Name, Where(prev)),
				Subject:  blk.LabelRanges[0].Ptr(),
			})
			continue
		}
		seen[t.Name] = blk.DefRange
		tasks = append(tasks, t)
	}
	if diags.HasErrors() {
		return nil, Diags(diags)
	}
	return tasks, nil
}

func errAt(rng hcl.Range, summary, format string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng.Ptr()}
}

func parseTask(blk *hcl.Block) (*Task, hcl.Diagnostics) {
	name := blk.Labels[0]
	if !TaskNamePattern.MatchString(name) {
		return nil, hcl.Diagnostics{errAt(blk.LabelRanges[0], "Invalid task name",
			"task name must match %s (letters, digits, '_', '.', '-'), got %s", TaskNamePattern, inputlimit.Quote(name, 0))}
	}
	content, diags := blk.Body.Content(taskSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	t := &Task{
		Name: name, DefRange: blk.DefRange, Env: map[string]string{},
		KillTimeout: DefaultKillTimeout, KillSignal: DefaultKillSignal,
		Logs: Logs{MaxFiles: DefaultLogFiles, MaxFileSizeMB: DefaultLogFileMB},
	}
	attrs := content.Attributes
	diags = append(diags, decodeNonEmptyString(attrs["driver"], &t.Driver)...)
	if a, ok := attrs["env"]; ok {
		diags = append(diags, gohcl.DecodeExpression(a.Expr, nil, &t.Env)...)
		for k := range t.Env {
			if k == "" || strings.ContainsAny(k, "=\x00") {
				diags = append(diags, errAt(a.Expr.Range(), "Invalid environment variable name",
					"env keys must be non-empty and contain no '=' or NUL, got %s", inputlimit.Quote(k, 0)))
			}
		}
	}
	if a, ok := attrs["user"]; ok {
		diags = append(diags, gohcl.DecodeExpression(a.Expr, nil, &t.User)...)
	}
	if a, ok := attrs["kill_timeout"]; ok {
		var s string
		if d := gohcl.DecodeExpression(a.Expr, nil, &s); d.HasErrors() {
			diags = append(diags, d...)
		} else if dur, err := time.ParseDuration(s); err != nil || dur < 0 || dur > MaxKillTimeout {
			diags = append(diags, errAt(a.Expr.Range(), "Invalid kill_timeout",
				`kill_timeout must be a duration from 0s to %s such as "5s" or "1m30s", got %s`, MaxKillTimeout, inputlimit.Quote(s, 0)))
		} else {
			t.KillTimeout = dur
		}
	}
	if a, ok := attrs["kill_signal"]; ok {
		var s string
		if d := gohcl.DecodeExpression(a.Expr, nil, &s); d.HasErrors() {
			diags = append(diags, d...)
		} else if _, err := ParseSignal(s); err != nil {
			diags = append(diags, errAt(a.Expr.Range(), "Invalid kill_signal", "%v", err))
		} else {
			t.KillSignal = CanonicalSignal(s)
		}
	}
	for _, b := range content.Blocks {
		switch b.Type {
		case "config":
			if t.Config != nil {
				diags = append(diags, errAt(b.DefRange, "Duplicate config block", "task %q may have only one config block", name))
				continue
			}
			t.Config = b.Body
		case "resources":
			if t.Resources.CPU != 0 || t.Resources.MemoryMB != 0 || t.Resources.Devices != nil {
				diags = append(diags, errAt(b.DefRange, "Duplicate resources block", "task %q may have only one resources block", name))
				continue
			}
			diags = append(diags, parseResources(b.Body, &t.Resources)...)
		case "logs":
			diags = append(diags, parseLogs(b.Body, &t.Logs)...)
		}
	}
	if t.Config == nil {
		t.Config = hcl.EmptyBody()
	}
	return t, diags
}

// decodeInt decodes a whole number in [r.min, r.max]. It decodes through a
// big.Float so that a value past int64 is reported with the field's range,
// not wrapped or cut.
func decodeInt(a *hcl.Attribute, r intRange, dst *int) hcl.Diagnostics {
	val, d := a.Expr.Value(nil)
	if d.HasErrors() {
		return d
	}
	num, err := convert.Convert(val, cty.Number)
	if err != nil || num.IsNull() || !num.IsKnown() {
		msg := "a number is required"
		if err != nil {
			msg = err.Error()
		}
		return hcl.Diagnostics{errAt(a.Expr.Range(), "Unsuitable value type", "Unsuitable value: %s", msg)}
	}
	f := num.AsBigFloat()
	bad := func(got string) hcl.Diagnostics {
		return hcl.Diagnostics{errAt(a.Expr.Range(), "Invalid "+a.Name, "%s must be a whole number from %d to %d%s, got %s", a.Name, r.min, r.max, r.unit, got)}
	}
	if f.IsInf() {
		return bad(f.String())
	}
	text := f.Text('f', -1)
	if len(text) > 40 {
		text = f.Text('g', 6)
	}
	if !f.IsInt() || f.Cmp(new(big.Float).SetInt64(r.min)) < 0 || f.Cmp(new(big.Float).SetInt64(r.max)) > 0 {
		return bad(text)
	}
	v, _ := f.Int64()
	*dst = int(v)
	return nil
}

func parseResources(body hcl.Body, r *Resources) hcl.Diagnostics {
	content, diags := body.Content(resourcesSchema)
	if diags.HasErrors() {
		return diags
	}
	if a, ok := content.Attributes["cpu"]; ok {
		diags = append(diags, decodeInt(a, RangeCPU, &r.CPU)...)
	}
	if a, ok := content.Attributes["memory"]; ok {
		diags = append(diags, decodeInt(a, RangeMemoryMB, &r.MemoryMB)...)
	}
	r.Devices = []DeviceRequest{}
	for _, b := range content.Blocks {
		req, d := parseDevice(b)
		diags = append(diags, d...)
		if req != nil {
			r.Devices = append(r.Devices, *req)
		}
	}
	return diags
}

func parseDevice(b *hcl.Block) (*DeviceRequest, hcl.Diagnostics) {
	name := b.Labels[0]
	parts := strings.Split(name, "/")
	ok := len(parts) <= 3 && len(name) <= 256
	for _, p := range parts {
		ok = ok && deviceNamePart.MatchString(p)
	}
	if !ok {
		return nil, hcl.Diagnostics{errAt(b.LabelRanges[0], "Invalid device name",
			`device name must be "type", "vendor/type" or "vendor/type/name" (at most 256 bytes), got %s`, inputlimit.Quote(name, 0))}
	}
	req := &DeviceRequest{Name: name, Count: 1, Range: b.DefRange}
	switch len(parts) {
	case 1:
		req.Type = parts[0]
	case 2:
		req.Vendor, req.Type = parts[0], parts[1]
	case 3:
		req.Vendor, req.Type, req.Model = parts[0], parts[1], parts[2]
	}
	content, diags := b.Body.Content(deviceSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	if a, ok := content.Attributes["count"]; ok {
		diags = append(diags, decodeInt(a, RangeDeviceCount, &req.Count)...)
	}
	return req, diags
}

func parseLogs(body hcl.Body, l *Logs) hcl.Diagnostics {
	content, diags := body.Content(logsSchema)
	if diags.HasErrors() {
		return diags
	}
	if a, ok := content.Attributes["max_files"]; ok {
		diags = append(diags, decodeInt(a, RangeLogFiles, &l.MaxFiles)...)
	}
	if a, ok := content.Attributes["max_file_size"]; ok {
		diags = append(diags, decodeInt(a, RangeLogFileMB, &l.MaxFileSizeMB)...)
	}
	return diags
}
