package hardening

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestForeignCertificateRefused runs the conformance case
// handshake/mtls-client-verified (a client with another certificate, one
// without a certificate and a plaintext client are all refused when the
// host set PLUGIN_CLIENT_CERT) against the example plugin of every SDK
// whose binary is here: the Go examples always; the Python examples when
// the repository's .venv exists (make -C sdk-python venv); the Rust
// example when target/debug/rust-files exists or
// YURT_HARDENING_RUST_DEVICE names it.
func TestForeignCertificateRefused(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	conf := filepath.Join(bins.dir, "yurt-conformance")
	build := exec.Command("go", "build", "-o", conf, "./cmd/yurt-conformance")
	build.Dir = filepath.Join(root, "conformance")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building yurt-conformance: %s", out)

	plugins := map[string]string{
		"go/go-exec":  filepath.Join(bins.examples, "go-exec"),
		"go/go-files": filepath.Join(bins.examples, "go-files"),
	}
	if _, err := os.Stat(filepath.Join(root, ".venv", "bin", "python")); err == nil {
		plugins["python/python-exec"] = filepath.Join(root, "examples", "python", "python-exec", "python-exec")
		plugins["python/python-files"] = filepath.Join(root, "examples", "python", "python-files", "python-files")
	} else {
		t.Log("no .venv: the Python examples are not checked (make -C sdk-python venv)")
	}
	rust := os.Getenv("YURT_HARDENING_RUST_DEVICE")
	if rust == "" {
		rust = filepath.Join(root, "target", "debug", "rust-files")
	}
	if _, err := os.Stat(rust); err == nil {
		plugins["rust/rust-files"] = rust
	} else {
		t.Logf("no %s: the Rust example is not checked (cargo build -p rust-files)", rust)
	}
	for name, path := range plugins {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			report := filepath.Join(shortTemp(t), "r.json")
			cmd := exec.Command(conf, "-plugin", path, "-run", "^handshake/mtls-client-verified$", "-json", report)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "yurt-conformance: %s", out)
			var rep struct {
				Results []struct {
					ID, Status, Message string
				} `json:"results"`
			}
			b, err := os.ReadFile(report)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &rep))
			require.Len(t, rep.Results, 1, "%s", b)
			assert.Equal(t, "handshake/mtls-client-verified", rep.Results[0].ID)
			assert.Equal(t, "pass", rep.Results[0].Status, "%s", rep.Results[0].Message)
		})
	}
}
