package base

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"

	"github.com/yurt-sdk/yurt/go/hclspec"
)

// ErrNoConfig is returned by DecodeConfig for empty bytes. Nomad sends no
// task config to RecoverTask; a plugin must keep what it needs in the task's
// driver state instead.
var ErrNoConfig = errors.New("no msgpack config given (empty bytes)")

// DecodeConfig decodes msgpack produced by the host from a value decoded
// with spec (SetConfigRequest.msgpack_config, TaskConfig's driver config)
// into out, a pointer to a struct whose fields carry `cty:"name"` tags
// matching spec's attributes (go-cty's gocty rules: every attribute of the
// object needs a field, nested blocks map to structs, slices and maps).
// Errors name the offending field path, e.g. `config.port[0].to`.
func DecodeConfig(b []byte, spec *hclspec.Spec, out any) error {
	if len(b) == 0 {
		return ErrNoConfig
	}
	ty, err := hclspec.ImpliedType(spec)
	if err != nil {
		return fmt.Errorf("decoding config: %w", err)
	}
	val, err := ctymsgpack.Unmarshal(b, ty)
	if err != nil {
		return fmt.Errorf("decoding config: msgpack does not match the schema (expected %s): %w", ty.FriendlyName(), err)
	}
	return DecodeValue(val, out)
}

// DecodeValue is DecodeConfig for an already decoded cty value.
func DecodeValue(val cty.Value, out any) (err error) {
	if rv := reflect.ValueOf(out); rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("decoding config: target must be a non-nil pointer to a struct, got %T", out)
	}
	defer func() {
		// gocty panics on Go types it cannot target (channels, funcs);
		// report that as an error naming the type instead.
		if r := recover(); r != nil {
			err = fmt.Errorf("decoding config: cannot decode into %T: %v", out, r)
		}
	}()
	if err := gocty.FromCtyValue(val, out); err != nil {
		var pe cty.PathError
		if errors.As(err, &pe) {
			msg := stripPathPrefix(pe.Error())
			if strings.HasPrefix(msg, "unsupported attribute") {
				msg += fmt.Sprintf(" (the schema has it but %T has no field tagged `cty:\"...\"` for it)", out)
			}
			return fmt.Errorf("decoding config: config%s: %s", hclspec.FormatPath(pe.Path), msg)
		}
		return fmt.Errorf("decoding config: %w", err)
	}
	return nil
}

// stripPathPrefix drops the path text go-cty may already have rendered so
// that ours is the only one.
func stripPathPrefix(s string) string {
	if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, ".") {
		return s[i+2:]
	}
	return s
}
