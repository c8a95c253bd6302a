package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/yurt-sdk/yurt/go/cmd/yurt/internal/scaffold"
)

// newSetup is `yurt new driver|device NAME --lang LANG [--dir DIR]`: it
// generates a plugin project (package scaffold).
func newSetup(fs *flag.FlagSet, o cmdIO) func([]string) error {
	lang := fs.String("lang", "", "the plugin's language: "+strings.Join(scaffold.Langs, ", ")+" (required)")
	dir := fs.String("dir", "", "where to write the project: a new or empty directory (default ./NAME)")
	source := fs.String("yurt-source", os.Getenv("YURT_SOURCE"),
		"a checkout of the yurt repository to depend on by path instead of the release (default $YURT_SOURCE)")
	return func(pos []string) error {
		if *lang == "" {
			return usageError{fmt.Sprintf("yurt new: --lang: expected one of %s, got nothing", strings.Join(scaffold.Langs, ", "))}
		}
		opts := scaffold.Options{Kind: pos[0], Name: pos[1], Lang: *lang, Dir: *dir, YurtSource: *source}
		out, files, err := scaffold.Generate(opts)
		if err != nil {
			return err
		}
		rel := out
		if wd, err := os.Getwd(); err == nil {
			if r, err := filepath.Rel(wd, out); err == nil && !strings.HasPrefix(r, "..") {
				rel = r
			}
		}
		fmt.Fprintf(o.stdout, "Created a %s %s plugin %q in %s:\n", *lang, opts.Kind, opts.Name, rel)
		for _, f := range files {
			fmt.Fprintf(o.stdout, "  %s\n", f)
		}
		fmt.Fprintf(o.stdout, "\nNext: cd %s && make test build conformance   (see README.md)\n", rel)
		return nil
	}
}
