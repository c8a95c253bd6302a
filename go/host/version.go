package host

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a parsed version in the form go-version accepts: an optional "v",
// one or more dot-separated numbers, an optional "-prerelease" and "+metadata".
type Version struct {
	Segments   []int64
	Prerelease string
	Metadata   string
	Original   string
}

// ParseVersion parses s, returning an error naming what is wrong.
func ParseVersion(s string) (Version, error) {
	v := Version{Original: s}
	rest := strings.TrimPrefix(s, "v")
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		v.Metadata, rest = rest[i+1:], rest[:i]
		if v.Metadata == "" {
			return Version{}, fmt.Errorf("version %q: expected metadata after \"+\", got nothing", s)
		}
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		v.Prerelease, rest = rest[i+1:], rest[:i]
		if v.Prerelease == "" {
			return Version{}, fmt.Errorf("version %q: expected a prerelease after \"-\", got nothing", s)
		}
	}
	if rest == "" {
		return Version{}, fmt.Errorf("version %q: expected numbers like 1.2.3, got nothing", s)
	}
	for _, part := range strings.Split(rest, ".") {
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil || n < 0 || part == "" || strings.HasPrefix(part, "+") {
			return Version{}, fmt.Errorf("version %q: expected dot-separated non-negative numbers, got segment %q", s, part)
		}
		v.Segments = append(v.Segments, n)
	}
	for len(v.Segments) < 3 {
		v.Segments = append(v.Segments, 0)
	}
	return v, nil
}

// Equal compares segments and prerelease, ignoring metadata (go-version rules).
func (v Version) Equal(o Version) bool {
	n := len(v.Segments)
	if len(o.Segments) > n {
		n = len(o.Segments)
	}
	for i := 0; i < n; i++ {
		if seg(v.Segments, i) != seg(o.Segments, i) {
			return false
		}
	}
	return v.Prerelease == o.Prerelease
}

// Less orders by segments; a prerelease is lower than its release.
func (v Version) Less(o Version) bool {
	n := len(v.Segments)
	if len(o.Segments) > n {
		n = len(o.Segments)
	}
	for i := 0; i < n; i++ {
		a, b := seg(v.Segments, i), seg(o.Segments, i)
		if a != b {
			return a < b
		}
	}
	switch {
	case v.Prerelease == o.Prerelease:
		return false
	case v.Prerelease == "":
		return false
	case o.Prerelease == "":
		return true
	}
	return v.Prerelease < o.Prerelease
}

func seg(s []int64, i int) int64 {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// SupportedAPIVersions are the plugin API versions this host speaks, per type.
var supportedAPIVersions = map[PluginType][]string{
	PluginTypeDriver: {APIVersion010},
	PluginTypeDevice: {APIVersion010},
}

// SupportedAPIVersions returns the API versions the host speaks for a plugin type.
func SupportedAPIVersions(t PluginType) []string {
	return append([]string(nil), supportedAPIVersions[t]...)
}

// SelectAPIVersion applies Nomad's rules: the plugin's list must not be empty,
// the type must be known, and the result is the highest host-supported version
// equal to one the plugin lists, returned in the plugin's own spelling.
func SelectAPIVersion(t PluginType, pluginVersions []string) (string, error) {
	if len(pluginVersions) == 0 {
		return "", fmt.Errorf("plugin_api_versions: expected at least one version, got an empty list")
	}
	supported, ok := supportedAPIVersions[t]
	if !ok {
		return "", fmt.Errorf("type: expected driver or device, got %s", t)
	}
	var parsed []Version
	for i, s := range pluginVersions {
		v, err := ParseVersion(s)
		if err != nil {
			return "", fmt.Errorf("plugin_api_versions[%d]: %w", i, err)
		}
		parsed = append(parsed, v)
	}
	var best *Version
	var bestOrig string
	for _, s := range supported {
		hv, _ := ParseVersion(s)
		for _, pv := range parsed {
			if pv.Equal(hv) && (best == nil || best.Less(hv)) {
				h := hv
				best, bestOrig = &h, pv.Original
			}
		}
	}
	if best == nil {
		return "", fmt.Errorf("plugin_api_versions: expected one of %v, got %v", supported, pluginVersions)
	}
	return bestOrig, nil
}
