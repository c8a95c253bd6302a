// Command gen writes spec/vectors/*.json from Go's behaviour (package
// vectors). Run it from go/: `go run ./internal/vectors/gen`.
package main

import (
	"fmt"
	"os"

	"github.com/yurt-sdk/yurt/go/internal/vectors"
)

func main() {
	dir := "../spec/vectors"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := vectors.Write(dir); err != nil {
		fmt.Fprintln(os.Stderr, "vectors:", err)
		os.Exit(1)
	}
}
