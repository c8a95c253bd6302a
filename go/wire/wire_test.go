package wire_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	// The generated contracts register their descriptors when imported.
	_ "github.com/yurt-sdk/yurt/go/gen/basepb"
	_ "github.com/yurt-sdk/yurt/go/gen/devicepb"
	_ "github.com/yurt-sdk/yurt/go/gen/driverpb"
	_ "github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	_ "github.com/yurt-sdk/yurt/go/gen/pluginpb"
	_ "github.com/yurt-sdk/yurt/go/gen/structspb"

	"github.com/yurt-sdk/yurt/go/wire"
)

func loadFacts(t *testing.T) *wire.Facts {
	t.Helper()
	f, err := os.Open("../../spec/nomad-plugin-wire.json") // the one copy, read by the Python and Rust tests too
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	facts, err := wire.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	return facts
}

// compiled returns the facts of every registered file in the facts' packages.
func compiled(t *testing.T, packages []string) *wire.Facts {
	t.Helper()
	var files []protoreflect.FileDescriptor
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if slices.Contains(packages, string(fd.Package())) {
			files = append(files, fd)
		}
		return true
	})
	if len(files) == 0 {
		t.Fatalf("no registered files in packages %v", packages)
	}
	return wire.FromFiles(files)
}

func clone(t *testing.T, f *wire.Facts) *wire.Facts {
	t.Helper()
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var out wire.Facts
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func TestContractsMatchWireFacts(t *testing.T) {
	facts := loadFacts(t)
	want := wire.Counts{Services: 6, Methods: 27, Messages: 121, Enums: 11}
	if got := facts.Counts(); got != want {
		t.Fatalf("facts file counts = %+v, want %+v", got, want)
	}
	got := compiled(t, facts.Packages())
	if c := got.Counts(); c != want {
		t.Errorf("compiled contracts counts = %+v, want %+v", c, want)
	}
	diffs := wire.Diff(facts, got)
	for _, d := range diffs {
		t.Errorf("wire difference: %s", d)
	}
	t.Logf("compared %d services, %d methods, %d messages, %d enums: %d differences",
		want.Services, want.Methods, want.Messages, want.Enums, len(diffs))
}

const taskConfig = "hashicorp.nomad.plugins.drivers.proto.TaskConfig"

// Each mutation changes one fact; Diff must report exactly that one change.
func TestDiffNamesEachChange(t *testing.T) {
	base := loadFacts(t)
	got := compiled(t, base.Packages())
	tests := []struct {
		name   string
		mutate func(f *wire.Facts)
		want   wire.Difference
	}{
		{
			name: "renumbered field",
			mutate: func(f *wire.Facts) {
				m := f.Messages[taskConfig]
				m.Fields["33"] = m.Fields["3"]
				delete(m.Fields, "3")
			},
			want: wire.Difference{Path: "message " + taskConfig + " field msgpack_driver_config", What: "number: want 33, got 3"},
		},
		{
			name: "field type",
			mutate: func(f *wire.Facts) {
				fd := f.Messages[taskConfig].Fields["2"]
				fd.Type = "BYTES"
				f.Messages[taskConfig].Fields["2"] = fd
			},
			want: wire.Difference{Path: "message " + taskConfig + " field 2", What: "type: want BYTES, got STRING"},
		},
		{
			name: "streaming flag",
			mutate: func(f *wire.Facts) {
				m := f.Services["hashicorp.nomad.plugins.drivers.proto.Driver"]["WaitTask"]
				m.ServerStreaming = true
				f.Services["hashicorp.nomad.plugins.drivers.proto.Driver"]["WaitTask"] = m
			},
			want: wire.Difference{Path: "service hashicorp.nomad.plugins.drivers.proto.Driver method WaitTask", What: "server_streaming: want true, got false"},
		},
		{
			name: "missing method",
			mutate: func(f *wire.Facts) {
				f.Services["plugin.GRPCController"]["Restart"] = wire.Method{Input: "plugin.Empty", Output: "plugin.Empty"}
			},
			want: wire.Difference{Path: "service plugin.GRPCController method Restart", What: "missing"},
		},
		{
			name:   "enum value name",
			mutate: func(f *wire.Facts) { f.Enums["hashicorp.nomad.plugins.base.proto.PluginType"]["2"] = "TASK_DRIVER" },
			want:   wire.Difference{Path: "enum hashicorp.nomad.plugins.base.proto.PluginType value 2", What: "name: want TASK_DRIVER, got DRIVER"},
		},
		{
			name:   "unexpected message",
			mutate: func(f *wire.Facts) { delete(f.Messages, "plugin.Empty") },
			want:   wire.Difference{Path: "message plugin.Empty", What: "unexpected"},
		},
		{
			name: "oneof membership",
			mutate: func(f *wire.Facts) {
				name := "hashicorp.nomad.plugins.shared.structs.Attribute"
				fd := f.Messages[name].Fields["5"]
				fd.Oneof = "value"
				f.Messages[name].Fields["5"] = fd
			},
			want: wire.Difference{Path: "message hashicorp.nomad.plugins.shared.structs.Attribute field 5", What: "oneof: want value, got "},
		},
		{
			name: "reserved range",
			mutate: func(f *wire.Facts) {
				name := "hashicorp.nomad.plugins.drivers.proto.LinuxResources"
				m := f.Messages[name]
				m.Reserved = nil
				f.Messages[name] = m
			},
			want: wire.Difference{Path: "message hashicorp.nomad.plugins.drivers.proto.LinuxResources", What: "reserved: want [], got [[7 7]]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts := clone(t, base)
			tt.mutate(facts)
			diffs := wire.Diff(facts, got)
			if len(diffs) != 1 || diffs[0] != tt.want {
				t.Fatalf("Diff = %v, want exactly [%v]", diffs, tt.want)
			}
		})
	}
}

func TestLoadRejectsUnknownKeys(t *testing.T) {
	_, err := wire.Load(strings.NewReader(`{"messages": {}, "enums": {}, "services": {}, "extra": 1}`))
	if err == nil || !strings.Contains(err.Error(), "extra") {
		t.Fatalf("Load error = %v, want one naming the unknown key", err)
	}
}
