// Command yurt-contracts prints the plugin API surface compiled into Yurt's Go
// contracts: every service with its RPCs, their messages and streaming modes.
// It reads the descriptors the generated code registers, so what it prints is
// what a plugin must serve.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/yurt-sdk/yurt/go/gen/basepb"
	_ "github.com/yurt-sdk/yurt/go/gen/devicepb"
	_ "github.com/yurt-sdk/yurt/go/gen/driverpb"
	_ "github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	_ "github.com/yurt-sdk/yurt/go/gen/pluginpb"
	_ "github.com/yurt-sdk/yurt/go/gen/structspb"
	"github.com/yurt-sdk/yurt/go/wire"
)

func main() {
	asJSON := flag.Bool("json", false, "print the surface as JSON (the wire facts format)")
	flag.Parse()

	var files []protoreflect.FileDescriptor
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		pkg := string(fd.Package())
		if strings.HasPrefix(pkg, "hashicorp.nomad.plugins.") || pkg == "plugin" {
			files = append(files, fd)
		}
		return true
	})
	facts := wire.FromFiles(files)

	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(facts); err != nil {
			fmt.Fprintln(os.Stderr, "yurt-contracts:", err)
			os.Exit(1)
		}
		return
	}

	services := make([]string, 0, len(facts.Services))
	for name := range facts.Services {
		services = append(services, name)
	}
	sort.Strings(services)
	for _, name := range services {
		fmt.Printf("service %s\n", name)
		methods := facts.Services[name]
		names := make([]string, 0, len(methods))
		for m := range methods {
			names = append(names, m)
		}
		sort.Strings(names)
		for _, m := range names {
			md := methods[m]
			fmt.Printf("  rpc %-18s %-14s %s -> %s\n", m, mode(md), short(md.Input), short(md.Output))
		}
	}
	c := facts.Counts()
	fmt.Printf("\n%d services, %d RPCs, %d messages, %d enums\n", c.Services, c.Methods, c.Messages, c.Enums)
}

func mode(m wire.Method) string {
	switch {
	case m.ClientStreaming && m.ServerStreaming:
		return "bidi-stream"
	case m.ServerStreaming:
		return "server-stream"
	case m.ClientStreaming:
		return "client-stream"
	}
	return "unary"
}

func short(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 {
		return name[i+1:]
	}
	return name
}
