package host

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	hclog "github.com/hashicorp/go-hclog"
)

// quietLogger wraps the host's logger for go-plugin. It reports level Off so that
// go-plugin skips its own stderr parser (go-plugin v1.7+ does so for a disabled
// logger), which would panic on non-string @message values; go-plugin's own
// messages still reach the wrapped logger. Plugin stderr is parsed by
// pluginLogWriter instead.
type quietLogger struct {
	hclog.Logger
}

func (q quietLogger) GetLevel() hclog.Level          { return hclog.Off }
func (q quietLogger) Named(name string) hclog.Logger { return quietLogger{q.Logger.Named(name)} }
func (q quietLogger) ResetNamed(name string) hclog.Logger {
	return quietLogger{q.Logger.ResetNamed(name)}
}
func (q quietLogger) With(args ...interface{}) hclog.Logger {
	return quietLogger{q.Logger.With(args...)}
}

// hclogTimeFormat is the layout hclog writes @timestamp with.
const hclogTimeFormat = "2006-01-02T15:04:05.000000Z07:00"

// LogLine is one line of plugin stderr as the host understood it.
type LogLine struct {
	Raw string
	// JSON is true when the line is an hclog JSON object whose @level, @message
	// and @timestamp are strings and @timestamp has hclog's layout.
	JSON      bool
	Level     hclog.Level
	Message   string
	Timestamp time.Time
	// Fields holds the remaining keys of a JSON line.
	Fields map[string]interface{}
	// Problem says why a line that looks like JSON is not a valid hclog line.
	Problem string
}

// ParseLogLine interprets one stderr line without ever panicking. Lines that are
// not valid hclog JSON come back with JSON false, a level inferred from a
// "[LEVEL]" prefix (else Debug), and, for JSON-looking lines, a Problem.
func ParseLogLine(line string) LogLine {
	out := LogLine{Raw: line, Level: hclog.Debug, Message: line}
	trimmed := strings.TrimSpace(line)
	if !strings.HasPrefix(trimmed, "{") {
		out.Level = prefixLevel(trimmed)
		return out
	}
	var m map[string]interface{}
	dec := json.NewDecoder(strings.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		out.Problem = "not a JSON object: " + err.Error()
		return out
	}
	str := func(key string) (string, bool) {
		v, ok := m[key]
		if !ok {
			if out.Problem == "" {
				out.Problem = key + " is missing"
			}
			return "", false
		}
		s, ok := v.(string)
		if !ok && out.Problem == "" {
			out.Problem = key + " is not a string"
		}
		return s, ok
	}
	lvl, ok1 := str("@level")
	msg, ok2 := str("@message")
	ts, ok3 := str("@timestamp")
	if !(ok1 && ok2 && ok3) {
		return out
	}
	t, err := time.Parse(hclogTimeFormat, ts)
	if err != nil {
		out.Problem = "@timestamp " + ts + " does not have hclog's layout " + hclogTimeFormat
		return out
	}
	level := hclog.LevelFromString(lvl)
	if level == hclog.NoLevel || level == hclog.Off {
		out.Problem = "@level " + lvl + " is not one of trace, debug, info, warn, error"
		return out
	}
	delete(m, "@level")
	delete(m, "@message")
	delete(m, "@timestamp")
	out.JSON, out.Level, out.Message, out.Timestamp, out.Fields = true, level, msg, t, m
	return out
}

func prefixLevel(line string) hclog.Level {
	for _, p := range []struct {
		prefix string
		level  hclog.Level
	}{{"[TRACE]", hclog.Trace}, {"[DEBUG]", hclog.Debug}, {"[INFO]", hclog.Info}, {"[WARN]", hclog.Warn}, {"[ERROR]", hclog.Error}} {
		if strings.HasPrefix(line, p.prefix) {
			return p.level
		}
	}
	return hclog.Debug
}

// pluginLogWriter receives the raw stderr stream go-plugin copies to
// ClientConfig.Stderr, splits it into lines and logs each line safely. It also
// forwards lines to an optional observer (the conformance harness checks them).
type pluginLogWriter struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	logger   hclog.Logger
	raw      io.Writer
	observer func(LogLine)
	tail     *tailBuffer
}

func (w *pluginLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.raw != nil {
		_, _ = w.raw.Write(p)
	}
	w.buf.Write(p)
	for {
		i := bytes.IndexByte(w.buf.Bytes(), '\n')
		if i < 0 {
			// Guard memory against a plugin that never writes a newline.
			if w.buf.Len() > 1<<20 {
				w.emit(w.buf.String())
				w.buf.Reset()
			}
			return len(p), nil
		}
		line := string(w.buf.Next(i + 1))
		w.emit(strings.TrimRight(line, "\r\n"))
	}
}

func (w *pluginLogWriter) emit(line string) {
	if line == "" {
		return
	}
	l := ParseLogLine(line)
	if w.tail != nil {
		w.tail.add(l.Message)
	}
	if w.observer != nil {
		w.observer(l)
	}
	if w.logger == nil {
		return
	}
	if !l.JSON {
		w.logger.Log(l.Level, l.Raw)
		return
	}
	keys := make([]string, 0, len(l.Fields))
	for k := range l.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	args := make([]interface{}, 0, 2*len(keys)+2)
	for _, k := range keys {
		args = append(args, k, l.Fields[k])
	}
	args = append(args, "timestamp", l.Timestamp.Format(hclogTimeFormat))
	w.logger.Log(l.Level, l.Message, args...)
}
