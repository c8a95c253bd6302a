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
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
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
}

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
}

var agentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "data_dir"},
		{Name: "plugin_dir"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "plugin", LabelNames: []string{"file name"}},
	},
}

var pluginSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "args"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "config"}},
}

// LoadAgent reads and parses an agent file. Relative data_dir and plugin_dir
// values are taken relative to the file's directory.
func LoadAgent(path string) (*Agent, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read agent config: %w", err)
	}
	return ParseAgent(src, path)
}

// ParseAgent parses agent configuration source; filename is used in errors
// and to resolve relative directories.
func ParseAgent(src []byte, filename string) (*Agent, error) {
	file, diags := hclparse.NewParser().ParseHCL(src, filename)
	if diags.HasErrors() {
		return nil, diags
	}
	content, diags := file.Body.Content(agentSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	a := &Agent{File: filename, Plugins: map[string]*Plugin{}}
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
	for _, blk := range content.Blocks {
		p, pd := parsePluginBlock(blk)
		diags = append(diags, pd...)
		if p == nil {
			continue
		}
		if prev, dup := a.Plugins[p.Name]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate plugin block",
				Detail:   fmt.Sprintf("plugin %q is already configured at %s", p.Name, prev.DefRange),
				Subject:  blk.DefRange.Ptr(),
			})
			continue
		}
		a.Plugins[p.Name] = p
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return a, nil
}

func parsePluginBlock(blk *hcl.Block) (*Plugin, hcl.Diagnostics) {
	name := blk.Labels[0]
	var diags hcl.Diagnostics
	if name == "" || strings.ContainsRune(name, '/') || name == "." || name == ".." {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid plugin name",
			Detail:   fmt.Sprintf("plugin block label must be an executable's file name inside plugin_dir (no '/'), got %q", name),
			Subject:  blk.LabelRanges[0].Ptr(),
		}}
	}
	content, diags := blk.Body.Content(pluginSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	p := &Plugin{Name: name, DefRange: blk.DefRange}
	if attr, ok := content.Attributes["args"]; ok {
		diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &p.Args)...)
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
