package agent

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonText decodes every JSON string as encoding/json does.
func TestJSONTextMatchesEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`""`, `"plain"`, `"a\nb\tc\r\"q\"\\ \/ \b\f"`, `"\u00e9\u4e2d\u0000"`, `"\ud83d\ude00 smile"`,
		`"lone \ud83d high"`, `"lone \ude00 low"`, `"\ud83d\u0041 bad pair"`, `"\ud83d"`, "\"raw \xff byte\"",
		`"é 中 😀"`, `null`,
	} {
		var want string
		require.NoError(t, json.Unmarshal([]byte(in), &want), in)
		var got jsonText
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		assert.Equal(t, want, string(got), in)
	}
	var got struct {
		Source jsonText `json:"source"`
	}
	for in, kind := range map[string]string{`12`: "number", `true`: "bool", `[]`: "array", `{}`: "object"} {
		err := json.Unmarshal([]byte(`{"source": `+in+`}`), &got)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), "cannot unmarshal "+kind+" into Go struct field .source of type string", "names the field, as encoding/json does")
	}
}

// FuzzJSONText: whatever encoding/json decodes as a string, jsonText
// decodes the same.
func FuzzJSONText(f *testing.F) {
	for _, s := range []string{`"a\n"`, `"\ud83d\ude00"`, `"\ud83d"`, "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want string
		if json.Unmarshal(b, &want) != nil {
			return
		}
		var got jsonText
		require.NoError(t, json.Unmarshal(b, &got))
		if string(b) != "null" {
			assert.Equal(t, want, string(got))
		}
	})
}
