// Package wire checks Yurt's compiled protobuf contracts against the wire facts
// of Nomad's plugin API and go-plugin's internal services.
//
// The facts file lists every service, method, message, field and enum value a
// Nomad agent or go-plugin host puts on the wire. Facts are loaded with Load,
// the same shape is built from compiled descriptors with FromFiles, and Diff
// names every difference, so a contract change that would break Nomad is caught
// by name ("message X field 3: type want STRING, got BYTES"), not by a checksum.
package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// Facts is the wire surface of a set of proto packages, keyed by fully
// qualified names. Its JSON form is the facts file's.
type Facts struct {
	About    string                       `json:"about,omitempty"`
	Enums    map[string]map[string]string `json:"enums"`
	Messages map[string]Message           `json:"messages"`
	Services map[string]map[string]Method `json:"services"`
}

// Message is one message: fields keyed by decimal field number.
type Message struct {
	Fields   map[string]Field `json:"fields"`
	Reserved [][2]int         `json:"reserved,omitempty"`
	MapEntry bool             `json:"map_entry,omitempty"`
}

// Field is one field of a message. Type and Label use descriptor.proto's enum
// names without prefix (STRING, MESSAGE; OPTIONAL, REPEATED).
type Field struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Label    string `json:"label"`
	TypeName string `json:"type_name,omitempty"`
	Oneof    string `json:"oneof,omitempty"`
}

// Method is one RPC.
type Method struct {
	Input           string `json:"input"`
	Output          string `json:"output"`
	ClientStreaming bool   `json:"client_streaming"`
	ServerStreaming bool   `json:"server_streaming"`
}

// Counts summarises a Facts value.
type Counts struct{ Services, Methods, Messages, Enums int }

// Counts returns how many services, methods, messages and enums f holds.
func (f *Facts) Counts() Counts {
	c := Counts{Services: len(f.Services), Messages: len(f.Messages), Enums: len(f.Enums)}
	for _, m := range f.Services {
		c.Methods += len(m)
	}
	return c
}

// Packages returns the proto packages that f's services, messages and enums
// belong to, judged by the longest dotted prefix shared with a service or by
// the leading lower-case segments of a name.
func (f *Facts) Packages() []string {
	set := map[string]bool{}
	add := func(full string) { set[packageOf(full)] = true }
	for n := range f.Services {
		add(n)
	}
	for n := range f.Messages {
		add(n)
	}
	for n := range f.Enums {
		add(n)
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// packageOf takes the leading segments that start with a lower-case letter:
// proto style gives packages lower-case segments and types upper-case ones.
func packageOf(full string) string {
	parts := strings.Split(full, ".")
	i := 0
	for i < len(parts)-1 && parts[i] != "" && parts[i][0] >= 'a' && parts[i][0] <= 'z' {
		i++
	}
	return strings.Join(parts[:i], ".")
}

// Load reads a facts file. Unknown keys are an error, so a facts file in a
// newer shape is not silently half-read.
func Load(r io.Reader) (*Facts, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read wire facts: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Facts
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode wire facts: %w", err)
	}
	return &f, nil
}

// FromFiles builds Facts from compiled file descriptors.
func FromFiles(files []protoreflect.FileDescriptor) *Facts {
	f := &Facts{
		Enums:    map[string]map[string]string{},
		Messages: map[string]Message{},
		Services: map[string]map[string]Method{},
	}
	for _, fd := range files {
		addEnums(f, fd.Enums())
		addMessages(f, fd.Messages())
		for i := 0; i < fd.Services().Len(); i++ {
			sd := fd.Services().Get(i)
			methods := map[string]Method{}
			for j := 0; j < sd.Methods().Len(); j++ {
				md := sd.Methods().Get(j)
				methods[string(md.Name())] = Method{
					Input:           string(md.Input().FullName()),
					Output:          string(md.Output().FullName()),
					ClientStreaming: md.IsStreamingClient(),
					ServerStreaming: md.IsStreamingServer(),
				}
			}
			f.Services[string(sd.FullName())] = methods
		}
	}
	return f
}

func addEnums(f *Facts, enums protoreflect.EnumDescriptors) {
	for i := 0; i < enums.Len(); i++ {
		ed := enums.Get(i)
		values := map[string]string{}
		for j := 0; j < ed.Values().Len(); j++ {
			v := ed.Values().Get(j)
			values[strconv.Itoa(int(v.Number()))] = string(v.Name())
		}
		f.Enums[string(ed.FullName())] = values
	}
}

func addMessages(f *Facts, msgs protoreflect.MessageDescriptors) {
	for i := 0; i < msgs.Len(); i++ {
		md := msgs.Get(i)
		m := Message{Fields: map[string]Field{}, MapEntry: md.IsMapEntry()}
		for j := 0; j < md.Fields().Len(); j++ {
			fd := md.Fields().Get(j)
			field := Field{
				Name:  string(fd.Name()),
				Type:  strings.ToUpper(fd.Kind().String()),
				Label: strings.ToUpper(fd.Cardinality().String()),
			}
			switch fd.Kind() {
			case protoreflect.MessageKind, protoreflect.GroupKind:
				field.TypeName = string(fd.Message().FullName())
			case protoreflect.EnumKind:
				field.TypeName = string(fd.Enum().FullName())
			}
			if o := fd.ContainingOneof(); o != nil && !o.IsSynthetic() {
				field.Oneof = string(o.Name())
			}
			m.Fields[strconv.Itoa(int(fd.Number()))] = field
		}
		rr := md.ReservedRanges()
		for j := 0; j < rr.Len(); j++ {
			r := rr.Get(j)
			// Descriptors hold half-open ranges; the facts file inclusive ones.
			m.Reserved = append(m.Reserved, [2]int{int(r[0]), int(r[1]) - 1})
		}
		f.Messages[string(md.FullName())] = m
		addEnums(f, md.Enums())
		addMessages(f, md.Messages())
	}
}

// Difference is one way in which the compiled contracts differ from the facts.
type Difference struct {
	// Path names the element: "message a.B field 3", "service a.S method M".
	Path string
	// What says what differs, with the wanted and the actual value.
	What string
}

func (d Difference) String() string { return d.Path + ": " + d.What }

// Diff lists every difference between want (the facts) and got (the compiled
// contracts), sorted by path. Fields are paired by number first and then, for
// what is left, by name, so a renumbered field is one difference.
func Diff(want, got *Facts) []Difference {
	var out []Difference
	add := func(path, format string, args ...any) {
		out = append(out, Difference{Path: path, What: fmt.Sprintf(format, args...)})
	}

	for _, name := range unionKeys(want.Services, got.Services) {
		path := "service " + name
		w, inW := want.Services[name]
		g, inG := got.Services[name]
		if !presence(path, inW, inG, add) {
			continue
		}
		for _, mn := range unionKeys(w, g) {
			mpath := path + " method " + mn
			wm, inWM := w[mn]
			gm, inGM := g[mn]
			if !presence(mpath, inWM, inGM, add) {
				continue
			}
			compare(mpath, "input", wm.Input, gm.Input, add)
			compare(mpath, "output", wm.Output, gm.Output, add)
			compare(mpath, "client_streaming", wm.ClientStreaming, gm.ClientStreaming, add)
			compare(mpath, "server_streaming", wm.ServerStreaming, gm.ServerStreaming, add)
		}
	}

	for _, name := range unionKeys(want.Enums, got.Enums) {
		path := "enum " + name
		w, inW := want.Enums[name]
		g, inG := got.Enums[name]
		if !presence(path, inW, inG, add) {
			continue
		}
		for _, num := range unionKeys(w, g) {
			vpath := path + " value " + num
			wv, inWV := w[num]
			gv, inGV := g[num]
			if presence(vpath, inWV, inGV, add) {
				compare(vpath, "name", wv, gv, add)
			}
		}
	}

	for _, name := range unionKeys(want.Messages, got.Messages) {
		path := "message " + name
		w, inW := want.Messages[name]
		g, inG := got.Messages[name]
		if !presence(path, inW, inG, add) {
			continue
		}
		compare(path, "map_entry", w.MapEntry, g.MapEntry, add)
		compare(path, "reserved", fmt.Sprint(w.Reserved), fmt.Sprint(g.Reserved), add)
		diffFields(path, w.Fields, g.Fields, add)
	}

	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func diffFields(path string, want, got map[string]Field, add func(string, string, ...any)) {
	var onlyWant, onlyGot []string
	for _, num := range unionKeys(want, got) {
		w, inW := want[num]
		g, inG := got[num]
		switch {
		case inW && !inG:
			onlyWant = append(onlyWant, num)
		case !inW && inG:
			onlyGot = append(onlyGot, num)
		default:
			compareField(path+" field "+num, w, g, add)
		}
	}
	// Pair what is left by name: that is a renumbered field.
	for _, wn := range onlyWant {
		w := want[wn]
		idx := slices.IndexFunc(onlyGot, func(gn string) bool { return got[gn].Name == w.Name })
		if idx < 0 {
			add(path+" field "+wn, "missing (want %s %s)", w.Name, w.Type)
			continue
		}
		gn := onlyGot[idx]
		onlyGot = slices.Delete(onlyGot, idx, idx+1)
		fpath := path + " field " + w.Name
		add(fpath, "number: want %s, got %s", wn, gn)
		compareField(fpath, w, got[gn], add)
	}
	for _, gn := range onlyGot {
		add(path+" field "+gn, "unexpected (got %s %s)", got[gn].Name, got[gn].Type)
	}
}

func compareField(path string, w, g Field, add func(string, string, ...any)) {
	compare(path, "name", w.Name, g.Name, add)
	compare(path, "type", w.Type, g.Type, add)
	compare(path, "label", w.Label, g.Label, add)
	compare(path, "type_name", w.TypeName, g.TypeName, add)
	compare(path, "oneof", w.Oneof, g.Oneof, add)
}

func presence(path string, inWant, inGot bool, add func(string, string, ...any)) bool {
	switch {
	case inWant && !inGot:
		add(path, "missing")
		return false
	case !inWant && inGot:
		add(path, "unexpected")
		return false
	}
	return true
}

func compare[T comparable](path, what string, want, got T, add func(string, string, ...any)) {
	if want != got {
		add(path, "%s: want %v, got %v", what, want, got)
	}
}

func unionKeys[V any](a, b map[string]V) []string {
	set := make(map[string]bool, len(a)+len(b))
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	// Numeric keys sort numerically, names alphabetically.
	sort.Slice(keys, func(i, j int) bool {
		ni, ei := strconv.Atoi(keys[i])
		nj, ej := strconv.Atoi(keys[j])
		if ei == nil && ej == nil {
			return ni < nj
		}
		return keys[i] < keys[j]
	})
	return keys
}
