package vectors

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Reading is how go-plugin's host logs one line of a plugin's stderr: the
// level and message it uses, and the other key/value pairs (with
// "timestamp", the parsed @timestamp rewritten as hclog.TimeFormat, for a
// JSON log entry).
type Reading struct {
	Level   string         `json:"level"`
	Message string         `json:"message"`
	Args    map[string]any `json:"args"`
}

// HclogLine is one stderr line and the host's reading of it. A line the host
// cannot read as an hclog entry is logged verbatim (Raw), at a level guessed
// from a "[LEVEL]" prefix, else debug.
type HclogLine struct {
	Name    string  `json:"name"`
	Line    string  `json:"line"`
	Raw     bool    `json:"raw"`
	Reading Reading `json:"reading"`
}

// HclogRecord is one log call in a plugin (level, message, key/value pairs,
// time) and the host's reading of the line a Go plugin's hclog JSON logger
// writes for it. Each SDK formats the same record with its own logger and
// must produce a line the host reads the same way.
type HclogRecord struct {
	Name       string         `json:"name"`
	Level      string         `json:"level"`
	Message    string         `json:"message"`
	Args       map[string]any `json:"args"`
	UnixMicros int64          `json:"unix_micros"`
	// GoLine is what Go's hclog wrote, for reference.
	GoLine  string  `json:"go_line"`
	Reading Reading `json:"reading"`
}

func hclogLineInputs() [][2]string {
	return [][2]string{
		{"full entry", `{"@level":"info","@message":"started","@module":"yurt.exec","@timestamp":"2026-12-03T13:22:57.123456Z","task_id":"t1","pid":42}`},
		{"every level: trace", `{"@level":"trace","@message":"m","@timestamp":"2026-12-03T13:22:57.000001Z"}`},
		{"every level: debug", `{"@level":"debug","@message":"m","@timestamp":"2026-12-03T13:22:57.000001Z"}`},
		{"every level: warn", `{"@level":"warn","@message":"m","@timestamp":"2026-12-03T13:22:57.000001Z"}`},
		{"every level: error", `{"@level":"error","@message":"m","@timestamp":"2026-12-03T13:22:57.000001Z"}`},
		{"level in capitals", `{"@level":"ERROR","@message":"m"}`},
		{"level with blanks", `{"@level":" warn ","@message":"m"}`},
		{"level warning", `{"@level":"warning","@message":"m"}`},
		{"level fatal", `{"@level":"fatal","@message":"m"}`},
		{"level off", `{"@level":"off","@message":"m"}`},
		{"empty level", `{"@level":"","@message":"m"}`},
		{"no level", `{"@message":"m"}`},
		{"no message", `{"@level":"info"}`},
		{"no timestamp", `{"@level":"info","@message":"m"}`},
		{"timestamp with an offset", `{"@level":"info","@message":"m","@timestamp":"2026-12-03T14:22:57.500000+01:00"}`},
		{"timestamp with three fractional digits", `{"@level":"info","@message":"m","@timestamp":"2026-12-03T13:22:57.123Z"}`},
		{"timestamp with nine fractional digits", `{"@level":"info","@message":"m","@timestamp":"2026-12-03T13:22:57.123456789Z"}`},
		{"timestamp without fraction", `{"@level":"info","@message":"m","@timestamp":"2026-12-03T13:22:57Z"}`},
		{"timestamp in another layout", `{"@level":"info","@message":"m","@timestamp":"2026-12-03 13:22:57.123456Z"}`},
		{"nested and typed args", `{"@level":"info","@message":"m","@timestamp":"2026-12-03T13:22:57.000000Z","n":1.5,"b":true,"z":null,"l":[1,"a"],"o":{"k":"v"}}`},
		{"message with escapes", `{"@level":"info","@message":"line1\nline2 \"q\" \u00e9","@timestamp":"2026-12-03T13:22:57.000000Z"}`},
		{"message key only", `{"@message":"m","@level":"info","message":"other"}`},
		{"plain text", `plain text from a plugin`},
		{"trace prefix", `[TRACE] tracing`},
		{"debug prefix", `[DEBUG] debugging`},
		{"info prefix", `[INFO] informing`},
		{"warn prefix", `[WARN] warning`},
		{"error prefix", `[ERROR] failing`},
		{"prefix in lower case", `[info] not a prefix go-plugin knows`},
		{"go panic", `panic: runtime error: index out of range`},
		{"go fatal error", `fatal error: all goroutines are asleep`},
		{"json array", `[1,2,3]`},
		{"json string", `"just a string"`},
		{"json null", `null`},
		{"broken json", `{"@level":"info","@message":"m"`},
		{"empty object", `{}`},
		{"empty line", ``},
	}
}

func hclogRecordInputs() []HclogRecord {
	at := time.Date(2026, 12, 3, 13, 22, 57, 123456789, time.UTC).UnixMicro()
	recs := []HclogRecord{
		{Name: "info with args", Level: "info", Message: "task started", Args: map[string]any{"task_id": "t1", "pid": 42}},
		{Name: "trace", Level: "trace", Message: "tick", Args: map[string]any{}},
		{Name: "debug", Level: "debug", Message: "detail", Args: map[string]any{"ok": true}},
		{Name: "warn", Level: "warn", Message: "slow", Args: map[string]any{"seconds": 2.5}},
		{Name: "error", Level: "error", Message: "failed", Args: map[string]any{"error": "exit status 1"}},
		{Name: "multi-line message", Level: "info", Message: "line1\nline2\ttab \"quoted\"", Args: map[string]any{}},
		{Name: "unicode", Level: "info", Message: "h\u00e9llo \u65e5\u672c", Args: map[string]any{"k\u00e9y": "v\u00e4lue"}},
		{Name: "epoch", Level: "info", Message: "at the epoch", Args: map[string]any{}, UnixMicros: 0},
		{Name: "null and list args", Level: "info", Message: "m", Args: map[string]any{"none": nil, "list": []any{"a", 1}}},
	}
	for i := range recs {
		if recs[i].Name != "epoch" {
			recs[i].UnixMicros = at
		}
	}
	return recs
}

// reading turns the host logger's JSON output for one plugin line into a
// Reading.
func reading(m map[string]any) Reading {
	r := Reading{Args: map[string]any{}}
	for k, v := range m {
		switch k {
		case "@level":
			r.Level, _ = v.(string)
		case "@message":
			r.Message, _ = v.(string)
		case "@timestamp":
		case "@module":
			if v != "host.vectorplugin" {
				r.Args[k] = v
			}
		default:
			r.Args[k] = v
		}
	}
	return r
}

// hostReadings feeds each line to a new go-plugin client as a plugin's
// stderr (one client per line: the client's state, e.g. after a "panic: "
// line, must not leak into the next vector) and returns the host's readings.
func hostReadings(lines []string) []Reading {
	out := make([]Reading, len(lines))
	for i, line := range lines {
		out[i] = hostReading(line)
	}
	return out
}

func hostReading(line string) Reading {
	err, logs := runClient("1|2|unix|/tmp/vectorplugin|grpc|\n", line+"\n")
	if err != nil {
		panic("vectors: go-plugin client refused a good handshake: " + err.Error())
	}
	if len(logs) != 1 {
		panic(fmt.Sprintf("vectors: the host logged %d entries for the line %q: %v", len(logs), line, logs))
	}
	return reading(logs[0])
}

// HclogLines computes the stderr-line vectors with go-plugin's client.
func HclogLines() []HclogLine {
	in := hclogLineInputs()
	lines := make([]string, len(in))
	for i, c := range in {
		lines[i] = c[1]
	}
	var out []HclogLine
	for i, r := range hostReadings(lines) {
		raw := r.Message == lines[i] && len(r.Args) == 0
		out = append(out, HclogLine{Name: in[i][0], Line: lines[i], Raw: raw, Reading: r})
	}
	return out
}

// HclogRecords formats each record with Go's hclog JSON logger, as a Go
// plugin's logger writes it, and computes the host's reading.
func HclogRecords() []HclogRecord {
	recs := hclogRecordInputs()
	lines := make([]string, len(recs))
	for i, rec := range recs {
		var buf bytes.Buffer
		at := time.UnixMicro(rec.UnixMicros).UTC()
		l := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, JSONFormat: true, Output: &buf,
			TimeFn: func() time.Time { return at }})
		args := make([]any, 0, 2*len(rec.Args))
		for _, k := range sortedKeys(rec.Args) {
			args = append(args, k, rec.Args[k])
		}
		l.Log(hclog.LevelFromString(rec.Level), rec.Message, args...)
		lines[i] = strings.TrimRight(buf.String(), "\n")
		recs[i].GoLine = lines[i]
	}
	for i, r := range hostReadings(lines) {
		recs[i].Reading = r
	}
	return recs
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
