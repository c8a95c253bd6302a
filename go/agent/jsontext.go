package agent

import (
	"encoding/json"
	"errors"
	"reflect"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonText decodes a JSON string straight into bytes, in one allocation of
// at most the quoted size. encoding/json makes three copies of a task file
// on its way to the parser (the unquoted bytes, the string, then []byte of
// it); for the largest accepted file that was 3 MiB of the 10x budget
// (issue 16).
type jsonText []byte

// UnmarshalJSON is called by json.Unmarshal, which has already checked
// that the whole document is valid JSON, so every escape here is well
// formed. Input that is not valid UTF-8 is left to encoding/json, which
// replaces it with U+FFFD, so both ways decode alike.
func (t *jsonText) UnmarshalJSON(d []byte) error {
	if string(d) == "null" {
		*t = nil
		return nil
	}
	if len(d) < 2 || d[0] != '"' || d[len(d)-1] != '"' {
		// encoding/json adds the field's name to this error.
		kind := "number"
		switch {
		case len(d) == 0:
			kind = "nothing"
		case d[0] == 't' || d[0] == 'f':
			kind = "bool"
		case d[0] == '[':
			kind = "array"
		case d[0] == '{':
			kind = "object"
		}
		return &json.UnmarshalTypeError{Value: kind, Type: reflect.TypeFor[string]()}
	}
	if !utf8.Valid(d) {
		var s string
		if err := json.Unmarshal(d, &s); err != nil {
			return err
		}
		*t = []byte(s)
		return nil
	}
	d = d[1 : len(d)-1]
	out := make([]byte, 0, len(d))
	for i := 0; i < len(d); {
		c := d[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(d) {
			return errors.New("truncated escape in a JSON string")
		}
		e := d[i+1]
		i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(d, i)
			if !ok {
				return errors.New("bad \\u escape in a JSON string")
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2, ok := rune(-1), false
				if i+6 <= len(d) && d[i] == '\\' && d[i+1] == 'u' {
					r2, ok = hex4(d, i+2)
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return errors.New("bad escape in a JSON string")
		}
	}
	*t = out
	return nil
}

func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
