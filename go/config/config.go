// Package config reads the two HCL files an operator writes for yurt: the
// agent file (data_dir, plugin_dir and one `plugin "<file name>"` block per
// plugin, as in Nomad) and task files (`task "name" { ... }`). A plugin's
// `config` block and a task's `config` block are kept as raw hcl.Body values:
// only the plugin knows their schema, so the agent decodes them later with
// the hclspec the plugin returns. Every error is an hcl.Diagnostics value
// whose text names the file, the line and the field.
package config

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/yurt-sdk/yurt/go/inputlimit"
)

// Agent is the parsed agent file.
type Agent struct {
	// File is the path the configuration was read from ("" for -dev).
	File string
	// DataDir holds the state store, the API socket and task directories.
	DataDir string
	// PluginDir is scanned for plugin executables.
	PluginDir string
	// Plugins holds one block per plugin file name.
	Plugins map[string]*Plugin
	// Limits bounds what the API accepts (defaults when the block is absent).
	Limits Limits
}

// Limits is the agent file's `limits` block.
type Limits struct {
	// MaxRequestBytes bounds every API request body.
	MaxRequestBytes int
	// MaxExecFrameBytes bounds one JSON frame of an exec session.
	MaxExecFrameBytes int
}

// Defaults of the limits block and of a plugin block's deadlines.
const (
	DefaultMaxRequestBytes   = 8 << 20
	DefaultMaxExecFrameBytes = 1 << 20
	// DefaultStartTaskTimeout bounds StartTask. Nomad sets none, but it
	// never lets one task's start hold up another's; yurt marks the task
	// failed after this long and cleans up when the driver answers.
	DefaultStartTaskTimeout = 5 * time.Minute
	// DefaultStopTaskTimeout is added to the task's kill_timeout to bound
	// StopTask (the driver needs kill_timeout to escalate to SIGKILL).
	DefaultStopTaskTimeout = 30 * time.Second
	// DefaultDestroyTaskTimeout bounds DestroyTask.
	DefaultDestroyTaskTimeout = 30 * time.Second
	// MaxPluginTimeout bounds every plugin deadline.
	MaxPluginTimeout = 24 * time.Hour
)

// Ranges of the limits block.
var (
	RangeMaxRequestBytes   = intRange{4 << 10, 256 << 20, " (bytes)"}
	RangeMaxExecFrameBytes = intRange{4 << 10, 64 << 20, " (bytes)"}
)

// Plugin is one `plugin "<file name>" { args = [...] config { ... } }` block.
type Plugin struct {
	// Name is the executable's file name inside the plugin dir.
	Name string
	// Args are passed to the executable.
	Args []string
	// Config is the body of the `config` block, or nil when there is none.
	Config hcl.Body
	// DefRange is where the block was declared, for error messages.
	DefRange hcl.Range
	// StartTaskTimeout, StopTaskTimeout (added to the task's kill_timeout)
	// and DestroyTaskTimeout bound the driver RPCs of this plugin.
	StartTaskTimeout, StopTaskTimeout, DestroyTaskTimeout time.Duration
}

// PluginTimeouts returns the deadlines for a plugin with no block.
func PluginTimeouts() (start, stop, destroy time.Duration) {
	return DefaultStartTaskTimeout, DefaultStopTaskTimeout, DefaultDestroyTaskTimeout
}

var agentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "data_dir"},
		{Name: "plugin_dir"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "plugin", LabelNames: []string{"file name"}},
		{Type: "limits"},
	},
}

var pluginSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "args"}, {Name: "start_task_timeout"}, {Name: "stop_task_timeout"}, {Name: "destroy_task_timeout"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "config"}},
}

var limitsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "max_request_bytes"}, {Name: "max_exec_frame_bytes"}},
}

// LoadAgent reads and parses an agent file. Relative data_dir and plugin_dir
// values are taken relative to the file's directory.
func LoadAgent(path string) (*Agent, error) {
	src, err := ReadFileLimited(path, "agent config", inputlimit.MaxAgentFileBytes)
	if err != nil {
		return nil, fmt.Errorf("read agent config: %w", err)
	}
	return ParseAgent(src, path)
}

// ReadFileLimited reads a file of at most limit bytes; a larger one is a
// *inputlimit.SizeError found before reading it (or while reading, for a
// file that grows or reports no size).
func ReadFileLimited(path, what string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if err := inputlimit.CheckSize(what+" "+path, st.Size(), int64(limit)); err != nil {
			return nil, err
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, &inputlimit.SizeError{What: what + " " + path, Size: -1, Limit: int64(limit)}
	}
	return b, nil
}

// ParseAgent parses agent configuration source; filename is used in errors
// and to resolve relative directories.
func ParseAgent(src []byte, filename string) (*Agent, error) {
	if d := CheckSource(src, filename, "agent config", inputlimit.MaxAgentFileBytes); d.HasErrors() {
		return nil, Diags(d)
	}
	file, diags := hclparse.NewParser().ParseHCL(src, filename)
	if diags.HasErrors() {
		return nil, Diags(diags)
	}
	content, diags := file.Body.Content(agentSchema)
	if diags.HasErrors() {
		return nil, Diags(diags)
	}
	a := &Agent{File: filename, Plugins: map[string]*Plugin{},
		Limits: Limits{MaxRequestBytes: DefaultMaxRequestBytes, MaxExecFrameBytes: DefaultMaxExecFrameBytes}}
	base := filepath.Dir(filename)
	for name, dst := range map[string]*string{"data_dir": &a.DataDir, "plugin_dir": &a.PluginDir} {
		attr, ok := content.Attributes[name]
		if !ok {
			continue
		}
		diags = append(diags, decodeNonEmptyString(attr, dst)...)
		if *dst != "" && !filepath.IsAbs(*dst) {
			*dst = filepath.Join(base, *dst)
		}
	}
	seenLimits := false
	for _, blk := range content.Blocks {
		if blk.Type == "limits" {
			if seenLimits {
				diags = append(diags, errAt(blk.DefRange, "Duplicate limits block", "the agent file may have only one limits block"))
				continue
			}
			seenLimits = true
			diags = append(diags, parseLimits(blk.Body, &a.Limits)...)
			continue
		}
		p, pd := parsePluginBlock(blk)
		diags = append(diags, pd...)
		if p == nil {
			continue
		}
		if prev, dup := a.Plugins[p.Name]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate plugin block",
				Detail:   fmt.Sprintf("plugin %q is already configured at %s", p.Name, Where(prev.DefRange)),
				Subject:  blk.DefRange.Ptr(),
			})
			continue
		}
		a.Plugins[p.Name] = p
	}
	if diags.HasErrors() {
		return nil, Diags(diags)
	}
	return a, nil
}

func parseLimits(body hcl.Body, l *Limits) hcl.Diagnostics {
	content, diags := body.Content(limitsSchema)
	if diags.HasErrors() {
		return diags
	}
	if a, ok := content.Attributes["max_request_bytes"]; ok {
		diags = append(diags, decodeInt(a, RangeMaxRequestBytes, &l.MaxRequestBytes)...)
	}
	if a, ok := content.Attributes["max_exec_frame_bytes"]; ok {
		diags = append(diags, decodeInt(a, RangeMaxExecFrameBytes, &l.MaxExecFrameBytes)...)
	}
	return diags
}

// decodeDuration decodes a duration string in [min, max].
func decodeDuration(a *hcl.Attribute, min, max time.Duration, dst *time.Duration) hcl.Diagnostics {
	var s string
	if d := gohcl.DecodeExpression(a.Expr, nil, &s); d.HasErrors() {
		return d
	}
	dur, err := time.ParseDuration(s)
	if err != nil || dur < min || dur > max {
		return hcl.Diagnostics{errAt(a.Expr.Range(), "Invalid "+a.Name,
			`%s must be a duration from %s to %s such as "30s" or "5m", got %s`, a.Name, min, max, inputlimit.Quote(s, 0))}
	}
	*dst = dur
	return nil
}

func parsePluginBlock(blk *hcl.Block) (*Plugin, hcl.Diagnostics) {
	name := blk.Labels[0]
	var diags hcl.Diagnostics
	if name == "" || strings.ContainsRune(name, '/') || name == "." || name == ".." {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid plugin name",
			Detail:   fmt.Sprintf("plugin block label must be an executable's file name inside plugin_dir (no '/'), got %s", inputlimit.Quote(name, 0)),
			Subject:  blk.LabelRanges[0].Ptr(),
		}}
	}
	content, diags := blk.Body.Content(pluginSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	p := &Plugin{Name: name, DefRange: blk.DefRange}
	p.StartTaskTimeout, p.StopTaskTimeout, p.DestroyTaskTimeout = PluginTimeouts()
	if attr, ok := content.Attributes["args"]; ok {
		diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &p.Args)...)
	}
	for name, dst := range map[string]*time.Duration{"start_task_timeout": &p.StartTaskTimeout, "stop_task_timeout": &p.StopTaskTimeout, "destroy_task_timeout": &p.DestroyTaskTimeout} {
		if attr, ok := content.Attributes[name]; ok {
			diags = append(diags, decodeDuration(attr, time.Second, MaxPluginTimeout, dst)...)
		}
	}
	for _, cb := range content.Blocks {
		if p.Config != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate config block",
				Detail:   fmt.Sprintf("plugin %q may have only one config block", name),
				Subject:  cb.DefRange.Ptr(),
			})
			continue
		}
		p.Config = cb.Body
	}
	return p, diags
}

func decodeNonEmptyString(attr *hcl.Attribute, dst *string) hcl.Diagnostics {
	diags := gohcl.DecodeExpression(attr.Expr, nil, dst)
	if diags.HasErrors() {
		// gohcl's text does not name the attribute; say which one.
		for _, d := range diags {
			d.Detail = fmt.Sprintf("%s (%s must be a string such as \"/var/lib/yurt\")", d.Detail, attr.Name)
		}
		return diags
	}
	if strings.TrimSpace(*dst) == "" {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Empty value",
			Detail:   fmt.Sprintf("%s must be a non-empty string", attr.Name),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return nil
}
