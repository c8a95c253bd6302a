package hclspec

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeepNestingRefused: HCL, JSON and the spec's own type and literal
// strings are checked for nesting before any parser sees them (60,000
// levels would exhaust the Go stack, a fatal error).
func TestDeepNestingRefused(t *testing.T) {
	spec := Object(Attrs{"args": Attr("args", "any", false)})
	_, diags := DecodeHCL([]byte("args = "+strings.Repeat("[", 60000)+strings.Repeat("]", 60000)+"\n"), "c.hcl", spec, nil)
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), "c.hcl:1,")
	assert.Contains(t, diags.Error(), "Nesting too deep")
	assert.Contains(t, diags.Error(), "limit of 100")

	_, diags = DecodeJSON([]byte("{\"args\": "+strings.Repeat("[", 60000)+strings.Repeat("]", 60000)+"}"), "c.json", spec, nil)
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), "Nesting too deep")

	_, err := Convert(Attr("a", strings.Repeat("list(", 60000)+"string"+strings.Repeat(")", 60000), false))
	require.ErrorContains(t, err, "limit of 100")
	_, err = Convert(Literal(strings.Repeat("[", 60000) + strings.Repeat("]", 60000)))
	require.ErrorContains(t, err, "limit of 100")

	// Ordinary nesting still decodes.
	v, diags := DecodeHCL([]byte("args = [[[1]]]\n"), "c.hcl", spec, nil)
	require.False(t, diags.HasErrors(), diags.Error())
	assert.True(t, v.GetAttr("args").LengthInt() == 1)
}
