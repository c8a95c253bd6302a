package host

import (
	"fmt"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/zclconf/go-cty/cty"
)

// ParseConfigHCL decodes HCL source (the body of a plugin "config" block, or of
// a task "config" block) through a plugin's schema, as Nomad does, applying
// defaults. A nil spec accepts only an empty body. Errors carry file and line.
func ParseConfigHCL(spec *hclspec.Spec, src []byte, filename string) (cty.Value, error) {
	v, diags := hclspec.DecodeHCL(src, filename, spec, nil)
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("decoding %s through the plugin's schema: %s", filename, diags.Error())
	}
	return v, nil
}

// ConfigMsgpack decodes HCL through spec and encodes it as Nomad sends it.
func ConfigMsgpack(spec *hclspec.Spec, src []byte, filename string) ([]byte, error) {
	v, err := ParseConfigHCL(spec, src, filename)
	if err != nil {
		return nil, err
	}
	if v.IsNull() {
		return nil, nil
	}
	return EncodeConfig(v)
}
