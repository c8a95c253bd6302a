package inputlimit

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckHCL(t *testing.T) {
	deep := func(open, close string, n int) string { return strings.Repeat(open, n) + strings.Repeat(close, n) }
	cases := []struct {
		name     string
		src      string
		wantLine int // 0: accepted
	}{
		{"flat task", "task \"a\" {\n  driver = \"x\"\n  config {\n    args = [\"-c\", \"${x}\"]\n  }\n}\n", 0},
		{"99 brackets", "x = " + deep("[", "]", 99) + "\n", 0},
		{"101 brackets", "x = " + deep("[", "]", 101) + "\n", 1},
		{"60000 brackets", "x = " + deep("[", "]", 60000) + "\n", 1},
		{"deep braces on line 3", "a = 1\nb = 2\nx = " + deep("{", "}", 500) + "\n", 3},
		{"deep blocks", strings.Repeat("b {\n", 200) + strings.Repeat("}\n", 200), 101},
		{"deep parens", "x = " + deep("(", ")", 1000) + "\n", 1},
		{"deep calls", "x = " + deep("f(", ")", 1000) + "\n", 1},
		{"many sequential brackets are fine", "x = [" + strings.Repeat("[1],", 1000) + "]\n", 0},
		{"many lines of operators are fine", strings.Repeat("x = 1 + 2 - 3\n", 500), 0},
		{"unary chain", "x = " + strings.Repeat("!", 5000) + "true\n", 1},
		{"binary chain", "x = 1" + strings.Repeat(" + 1", 5000) + "\n", 1},
		{"conditional chain", "x = " + strings.Repeat("true ? 1 : ", 5000) + "2\n", 1},
		{"template nesting", "x = \"" + deep("${\"", "\"}", 1000) + "\"\n", 1},
		{"directive nesting", "x = \"" + strings.Repeat("%{if true}", 1000) + strings.Repeat("%{endif}", 1000) + "\"\n", 1},
		{"brackets in a string do not count", "x = \"" + strings.Repeat("[", 5000) + "\"\n", 0},
		{"escaped quote keeps the string", "x = \"\\\"" + strings.Repeat("[", 5000) + "\"\n", 0},
		{"template escapes", "x = \"" + strings.Repeat("$${", 5000) + "\"\n", 0},
		{"brackets in comments", "# " + strings.Repeat("[", 5000) + "\n// " + strings.Repeat("{", 5000) + "\n/* " + strings.Repeat("(", 5000) + " */\nx = 1\n", 0},
		{"brackets in a heredoc", "x = <<EOT\n" + strings.Repeat("[", 5000) + "\nEOT\n", 0},
		{"closers in a heredoc do not hide real nesting",
			"x = " + strings.Repeat("[", 60) + "<<EOT\n" + strings.Repeat("]", 60) + "\nEOT\n" + strings.Repeat(",[", 60) + "\n", 4},
		{"unmatched closers do not lower the count", "x = " + strings.Repeat("[)", 200) + "\n", 1},
		{"newline ends a broken string", "x = \"abc\n" + deep("[", "]", 500) + "\n", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckHCL([]byte(c.src), "t.hcl", 0)
			if c.wantLine == 0 {
				require.NoError(t, err)
				// The parser must take it without trouble too.
				_, _ = hclparse.NewParser().ParseHCL([]byte(c.src), "t.hcl")
				return
			}
			var de *DepthError
			require.True(t, errors.As(err, &de), "want a DepthError, got %v", err)
			assert.Equal(t, c.wantLine, de.Line)
			assert.Contains(t, err.Error(), "t.hcl:")
			assert.Contains(t, err.Error(), "limit of 100")
		})
	}
}

func TestCheckJSON(t *testing.T) {
	require.NoError(t, CheckJSON([]byte(`{"a":[1,2,{"b":"[[[[[[["}]}`), "b.json", 3))
	err := CheckJSON([]byte("{\n\"a\": "+strings.Repeat("[", 200)), "b.json", 0)
	var de *DepthError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 2, de.Line)
	assert.Equal(t, 105, de.Column, "the { and 100 [ after `\"a\": `")
	require.NoError(t, CheckJSON([]byte(`"\"[[[[[["`), "b.json", 1))
	require.Error(t, CheckJSON([]byte(`[[]`+strings.Repeat("}", 10)+`[[`), "b.json", 2), "stray closers do not lower the count")
}

func TestQuoteAndBytes(t *testing.T) {
	assert.Equal(t, `"abc"`, Quote("abc", 0))
	q := Quote(strings.Repeat("x", 200<<20), 0)
	assert.Less(t, len(q), 120)
	assert.Contains(t, q, "209715200 bytes in all")
	assert.Equal(t, "1 MiB (1048576 bytes)", Bytes(1<<20))
	assert.Equal(t, "task file f is 3.9 MiB (4089446 bytes), larger than the limit of 1 MiB (1048576 bytes)",
		CheckSize("task file f", 4089446, MaxTaskFileBytes).Error())
	assert.NoError(t, CheckSize("x", 10, 10))
}

func TestTokenLimit(t *testing.T) {
	ok := []string{
		"x = [" + strings.Repeat("0,", MaxTokens/2-10) + "]\n",
		"# " + strings.Repeat("x y z ", 200000) + "\nx = \"" + strings.Repeat("a b c ", 200000) + "\"\n",
		"x = <<EOT\n" + strings.Repeat("word word word\n", 4000) + "EOT\n",
	}
	for _, src := range ok {
		require.NoError(t, CheckHCL([]byte(src), "t.hcl", 0), "%.40s", src)
	}
	bad := map[string]string{
		"numbers":          "x = [" + strings.Repeat("0,", MaxTokens) + "]\n",
		"words":            strings.Repeat("a ", MaxTokens+1),
		"string templates": "x = \"" + strings.Repeat("${a}", MaxTokens) + "\"\n",
		"heredoc lines":    "x = <<EOT\n" + strings.Repeat("a\n", MaxTokens+1) + "EOT\n",
		"env entries":      "env = {\n" + strings.Repeat("a=1\n", MaxTokens/3) + "}\n",
	}
	for name, src := range bad {
		err := CheckHCL([]byte(src), "t.hcl", 0)
		var te *TokenError
		require.ErrorAs(t, err, &te, name)
		assert.Contains(t, err.Error(), "t.hcl:")
		assert.Contains(t, err.Error(), "more than 5000 tokens")
	}
	require.NoError(t, CheckJSON([]byte(`{"a": ["x y z", 1, true, null]}`), "j", 0))
	var te *TokenError
	require.ErrorAs(t, CheckJSON([]byte("["+strings.Repeat("1,", MaxTokens)+"1]"), "j", 0), &te)
	require.NoError(t, CheckJSON([]byte(`"`+strings.Repeat("[1,", MaxTokens)+`"`), "j", 0), "a string is one token")
}
