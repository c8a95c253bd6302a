package conformance

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// crashesGoPlugin says why a bare go-plugin host would panic on this plugin
// stderr line, or "" when it would not. go-plugin v1.8.0 (log_entry.go,
// parseJSON) unmarshals every line into a map and, for each of @message, @level
// and @timestamp that is present, does an unchecked v.(string) type assertion:
// a present key with any other JSON type (number, bool, null, object, array)
// panics the host's stderr goroutine and with it Nomad's agent. Missing keys and
// lines that are not a JSON object are harmless (logged as plain text).
func crashesGoPlugin(line string) string {
	var m map[string]interface{}
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		return ""
	}
	for _, k := range []string{"@message", "@level", "@timestamp"} {
		v, ok := m[k]
		if !ok {
			continue
		}
		if _, isString := v.(string); !isString {
			return fmt.Sprintf("%s is %s, not a string (go-plugin's host panics on it: log_entry.go parseJSON)", k, jsonKind(v))
		}
	}
	return ""
}

func jsonKind(v interface{}) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case []interface{}:
		return "an array"
	case map[string]interface{}:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// logWatch collects, over a whole run, the plugin stderr lines that would
// crash a go-plugin host, with the case that was running when each came.
type logWatch struct {
	mu      sync.Mutex
	current string
	lines   int
	bad     []string
}

func (w *logWatch) setCase(id string) {
	w.mu.Lock()
	w.current = id
	w.mu.Unlock()
}

func (w *logWatch) observe(line string) {
	why := crashesGoPlugin(strings.TrimSpace(line))
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines++
	if why != "" {
		w.bad = append(w.bad, fmt.Sprintf("during %s: %q: %s", w.current, oneLine(line, 160), why))
	}
}

func (w *logWatch) snapshot() (lines int, bad []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lines, append([]string(nil), w.bad...)
}
