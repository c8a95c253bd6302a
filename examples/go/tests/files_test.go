package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/yurt-sdk/yurt/examples/go/go-files/gofiles"
	"github.com/yurt-sdk/yurt/go/gen/devicepb"
)

func deviceIDs(f *devicepb.FingerprintResponse) map[string]bool {
	out := map[string]bool{}
	for _, g := range f.GetDeviceGroup() {
		for _, d := range g.GetDevices() {
			out[d.GetID()] = d.GetHealthy()
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestFilesFingerprintReserveStats(t *testing.T) {
	dir := t.TempDir()
	present, missing := filepath.Join(dir, "present"), filepath.Join(dir, "missing")
	require.NoError(t, os.WriteFile(present, []byte("12345"), 0o600))
	cfg := fmt.Sprintf("paths = [%q, %q]\nsimulated = 2\nfingerprint_period = \"100ms\"\n", present, missing)

	l := launch(t, "go-files")
	require.NoError(t, configure(t, l, cfg))
	c := devicepb.NewDevicePluginClient(l.conn)

	fs, err := c.Fingerprint(ctxT(t), &devicepb.FingerprintRequest{})
	require.NoError(t, err)
	first, err := fs.Recv()
	require.NoError(t, err)
	g := first.GetDeviceGroup()[0]
	assert.Equal(t, "yurt", g.GetVendor())
	assert.Equal(t, "file", g.GetDeviceType())
	ids := deviceIDs(first)
	pid, mid := gofiles.PathID(present), gofiles.PathID(missing)
	assert.Equal(t, map[string]bool{pid: true, mid: false, "sim-0": true, "sim-1": true}, ids)

	// A change is sent without asking; nothing is sent while nothing changes.
	require.NoError(t, os.WriteFile(missing, nil, 0o600))
	start := time.Now()
	second, err := fs.Recv()
	require.NoError(t, err)
	assert.True(t, deviceIDs(second)[mid], "device healthy once its file exists")
	assert.Less(t, time.Since(start), 2*time.Second)

	// IDs are stable across plugin restarts.
	l2 := launch(t, "go-files")
	require.NoError(t, configure(t, l2, cfg))
	fs2, err := devicepb.NewDevicePluginClient(l2.conn).Fingerprint(ctxT(t), &devicepb.FingerprintRequest{})
	require.NoError(t, err)
	again, err := fs2.Recv()
	require.NoError(t, err)
	assert.Equal(t, sortedKeys(ids), sortedKeys(deviceIDs(again)))

	r, err := c.Reserve(ctxT(t), &devicepb.ReserveRequest{DeviceIds: []string{pid, "sim-1"}})
	require.NoError(t, err)
	assert.Equal(t, pid+",sim-1", r.GetContainerRes().GetEnvs()[gofiles.EnvVar])
	require.Len(t, r.GetContainerRes().GetMounts(), 1)
	assert.Equal(t, present, r.GetContainerRes().GetMounts()[0].GetHostPath())
	_, err = c.Reserve(ctxT(t), &devicepb.ReserveRequest{DeviceIds: []string{"sim-9", pid, "nope"}})
	assert.ErrorContains(t, err, "unknown device IDs: nope, sim-9")

	ss, err := c.Stats(ctxT(t), &devicepb.StatsRequest{CollectionInterval: durationpb.New(100 * time.Millisecond)})
	require.NoError(t, err)
	s1, err := ss.Recv()
	require.NoError(t, err)
	s2, err := ss.Recv()
	require.NoError(t, err)
	st := s1.GetGroups()[0].GetInstanceStats()[pid]
	assert.Equal(t, int64(5), st.GetSummary().GetIntNumeratorVal().GetValue())
	assert.Len(t, s1.GetGroups()[0].GetInstanceStats(), 4)
	gap := s2.GetGroups()[0].GetInstanceStats()[pid].GetTimestamp().AsTime().Sub(st.GetTimestamp().AsTime())
	assert.True(t, gap >= 50*time.Millisecond && gap < 2*time.Second, "stats 100ms apart, got %s", gap)
}

func TestFilesConfigErrors(t *testing.T) {
	l := launch(t, "go-files")
	assert.ErrorContains(t, configure(t, l, "paths = [\"relative/path\"]\n"), `config.paths[0]: expected an absolute path, got "relative/path"`)
	assert.ErrorContains(t, configure(t, l, "simulated = -1\n"), "config.simulated: expected 0..1024 devices, got -1")
	assert.ErrorContains(t, configure(t, l, "fingerprint_period = \"x\"\n"), "config.fingerprint_period")
	assert.ErrorContains(t, configure(t, l, "simulated = 1.5\n"), "config.simulated: value must be a whole number")
}
