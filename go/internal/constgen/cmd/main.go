// Command cmd writes the generated handshake constants (package constgen).
// Run it in go/: `go run ./internal/constgen/cmd`.
package main

import (
	"fmt"
	"os"

	"github.com/yurt-sdk/yurt/go/internal/constgen"
)

func main() {
	if err := constgen.Write(".."); err != nil {
		fmt.Fprintln(os.Stderr, "constgen:", err)
		os.Exit(1)
	}
}
