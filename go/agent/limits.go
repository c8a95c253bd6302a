package agent

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/inputlimit"
)

// maxFileNameBytes bounds RunRequest.File, which error messages repeat.
const maxFileNameBytes = 4096

func (a *Agent) maxRequestBytes() int64 {
	if n := a.opts.Config.Limits.MaxRequestBytes; n > 0 {
		return int64(n)
	}
	return config.DefaultMaxRequestBytes
}

func (a *Agent) maxExecFrameBytes() int {
	if n := a.opts.Config.Limits.MaxExecFrameBytes; n > 0 {
		return n
	}
	return config.DefaultMaxExecFrameBytes
}

// limitBodies puts every request body behind http.MaxBytesReader, whatever
// the endpoint does with it.
func (a *Agent) limitBodies(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > a.maxRequestBytes() {
			writeErr(w, http.StatusRequestEntityTooLarge, &inputlimit.SizeError{What: "the request body", Size: r.ContentLength, Limit: a.maxRequestBytes()})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, a.maxRequestBytes())
		h.ServeHTTP(w, r)
	})
}

// readJSON reads a whole request body (already bounded by limitBodies),
// checks its nesting and decodes it into v. On failure it has answered:
// 413 naming the limit, or 400 with an error that quotes none of the body.
func (a *Agent) readJSON(w http.ResponseWriter, r *http.Request, what string, v any) bool {
	// One buffer of the announced size (already checked against the
	// limit), not io.ReadAll's doubling copies.
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(r.Body)
	b := buf.Bytes()
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeErr(w, http.StatusRequestEntityTooLarge, &inputlimit.SizeError{What: what + " body", Size: -1, Limit: mbe.Limit})
		} else {
			writeErr(w, http.StatusBadRequest, fmt.Errorf("%s: reading the body: %w", what, err))
		}
		return false
	}
	if err := decodeJSON(b, what, v); err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return false
	}
	return true
}

// decodeJSON checks the nesting of one JSON document and decodes it (one
// value only; unknown fields are ignored, for older and newer clients).
func decodeJSON(b []byte, what string, v any) error {
	if err := inputlimit.CheckJSON(b, what, inputlimit.MaxNesting); err != nil {
		return err
	}
	// json.Unmarshal works on b in place (a Decoder would copy it) and
	// refuses anything after the first value.
	if err := json.Unmarshal(b, v); err != nil {
		// encoding/json's messages name types, fields and offsets, not
		// values; cut them anyway.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("%s: not valid JSON at byte %d: %v", what, se.Offset, se.Error())
		}
		msg := err.Error()
		if len(msg) > 200 {
			msg = msg[:200] + "..."
		}
		return fmt.Errorf("%s: %s", what, msg)
	}
	return nil
}

// frameReader reads the newline-delimited JSON frames of an exec session,
// each at most limit bytes.
type frameReader struct {
	r     *bufio.Reader
	limit int
}

var errFrameTooLarge = errors.New("exec frame too large")

// next decodes the next frame into v; io.EOF at a clean end.
func (f *frameReader) next(what string, v any) error {
	var line []byte
	for {
		chunk, err := f.r.ReadSlice('\n')
		if len(line)+len(chunk) > f.limit {
			return fmt.Errorf("%w: %s is larger than the limit of %s", errFrameTooLarge, what, inputlimit.Bytes(int64(f.limit)))
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(bytes.TrimSpace(line)) > 0 {
				break
			}
			return err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			line = line[:0]
			continue
		}
		break
	}
	return decodeJSON(line, what, v)
}

// isConnErr reports whether err is the connection failing rather than a
// bad frame.
func isConnErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrUnexpectedEOF)
}
