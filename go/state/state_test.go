package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoundTripAndPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s, err := Open(dir)
	require.NoError(t, err)
	spec := &TaskSpec{ID: "t1", Name: "web", Driver: "process", Source: []byte("task \"web\" {}"), CreatedAt: time.Now().UTC(),
		Devices: map[string][]string{"dev": {"a", "b"}}}
	require.NoError(t, s.Update(func(tx *Tx) error {
		if err := tx.PutSpec(spec); err != nil {
			return err
		}
		if err := tx.PutHandle("t1", []byte{1, 2, 3}); err != nil {
			return err
		}
		return tx.PutPlugin("drv", []byte(`{"pid":1}`))
	}))
	require.NoError(t, s.Close())

	st, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), st.Mode().Perm())
	st, err = os.Stat(filepath.Join(dir, FileName))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	s, err = Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, s.View(func(tx *Tx) error {
		got, err := tx.Spec("t1")
		require.NoError(t, err)
		assert.Equal(t, spec.Devices, got.Devices)
		assert.Equal(t, spec.Source, got.Source)
		h, err := tx.Handle("t1")
		require.NoError(t, err)
		assert.Equal(t, []byte{1, 2, 3}, h)
		ps, err := tx.Plugins()
		require.NoError(t, err)
		assert.Equal(t, map[string][]byte{"drv": []byte(`{"pid":1}`)}, ps)
		_, err = tx.Result("t1")
		assert.ErrorIs(t, err, ErrNotFound)
		return nil
	}))
	require.NoError(t, s.Update(func(tx *Tx) error {
		require.NoError(t, tx.PutResult("t1", &TaskResult{ExitCode: 3}))
		r, err := tx.Result("t1")
		require.NoError(t, err)
		assert.Equal(t, 3, r.ExitCode)
		return tx.DeleteTask("t1")
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		specs, err := tx.Specs()
		require.NoError(t, err)
		assert.Empty(t, specs)
		_, err = tx.Handle("t1")
		assert.ErrorIs(t, err, ErrNotFound)
		return nil
	}))
}

func TestFailedUpdateWritesNothing(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	boom := errors.New("boom")
	err = s.Update(func(tx *Tx) error {
		require.NoError(t, tx.PutSpec(&TaskSpec{ID: "x"}))
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.NoError(t, s.View(func(tx *Tx) error {
		_, err := tx.Spec("x")
		assert.ErrorIs(t, err, ErrNotFound)
		return nil
	}))
	assert.Error(t, s.Update(func(tx *Tx) error { return tx.PutHandle("", nil) }), "empty key")
}

func TestSecondOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	_, err = Open(dir)
	require.ErrorContains(t, err, "locked by another process")
}

// TestHelperWriter is the child of TestKillDashNine: it writes pairs of
// records in one transaction each, forever, until killed.
func TestHelperWriter(t *testing.T) {
	dir := os.Getenv("YURT_STATE_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	s, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.WriteFile(filepath.Join(dir, "ready"), nil, 0o600)
	big := make([]byte, 64<<10)
	for i := 0; ; i++ {
		id := strconv.Itoa(i)
		err := s.Update(func(tx *Tx) error {
			if err := tx.PutSpec(&TaskSpec{ID: id, Source: big}); err != nil {
				return err
			}
			return tx.PutHandle(id, []byte(id))
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
}

func TestKillDashNine(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
	cmd.Env = append(os.Environ(), "YURT_STATE_HELPER_DIR="+dir)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	require.Eventually(t, func() bool {
		_, err := os.Stat(filepath.Join(dir, "ready"))
		return err == nil
	}, 10*time.Second, 10*time.Millisecond)
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()

	s, err := Open(dir)
	require.NoError(t, err, "reopen after kill -9")
	t.Cleanup(func() { s.Close() })
	require.NoError(t, s.Check())
	require.NoError(t, s.View(func(tx *Tx) error {
		specs, err := tx.Specs()
		require.NoError(t, err)
		require.NotEmpty(t, specs, "the writer committed something before it was killed")
		for _, sp := range specs {
			h, err := tx.Handle(sp.ID)
			require.NoError(t, err, "spec %s without its handle: a half-written transaction", sp.ID)
			assert.Equal(t, sp.ID, string(h))
		}
		return nil
	}))
}

func TestCorruptFile(t *testing.T) {
	for name, content := range map[string][]byte{
		"garbage":   bytes.Repeat([]byte("not a bolt file "), 1024),
		"truncated": {0, 0, 0},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, FileName), content, 0o600))
			_, err := Open(dir)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "open state "+filepath.Join(dir, FileName))
		})
	}
}

func TestUnreadableRecord(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.put(bucketSpecs, "x", []byte("{")) }))
	err = s.View(func(tx *Tx) error { _, err := tx.Specs(); return err })
	assert.ErrorContains(t, err, `decode task_specs "x"`)
	err = s.View(func(tx *Tx) error { _, err := tx.Spec("x"); return err })
	assert.ErrorContains(t, err, `decode task_specs "x"`)
}

// A spec stored by an older agent holds its source in its JSON (base64);
// it is still read. New specs keep the source apart from the JSON, and
// DeleteTask removes it too.
func TestSpecSourceOldAndNewLayout(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	defer s.Close()
	src := []byte("task \"old\" {}\n")
	old, err := json.Marshal(map[string]any{"id": "old-1", "name": "old", "source": src})
	require.NoError(t, err)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.put(bucketSpecs, "old-1", old) }))
	require.NoError(t, s.Update(func(tx *Tx) error {
		return tx.PutSpec(&TaskSpec{ID: "new-1", Name: "new", Source: []byte("task \"new\" {}\n")})
	}))
	require.NoError(t, s.View(func(tx *Tx) error {
		raw, err := tx.get(bucketSpecs, "new-1")
		require.NoError(t, err)
		assert.NotContains(t, string(raw), "source", "the source is not in the spec's JSON")
		o, err := tx.Spec("old-1")
		require.NoError(t, err)
		assert.Equal(t, src, o.Source)
		all, err := tx.Specs()
		require.NoError(t, err)
		require.Len(t, all, 2)
		for _, sp := range all {
			assert.Equal(t, fmt.Sprintf("task %q {}\n", sp.Name), string(sp.Source))
		}
		return nil
	}))
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.DeleteTask("new-1") }))
	require.NoError(t, s.View(func(tx *Tx) error {
		assert.Nil(t, tx.tx.Bucket(bucketSources).Get([]byte("new-1")))
		return nil
	}))
}
