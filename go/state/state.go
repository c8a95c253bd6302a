// Package state is the agent's embedded store: one bbolt file in the data
// dir holding plugin reattach records (with TLS material, hence 0600), task
// specs, task handles (driverpb.TaskHandle bytes) and task results. Every
// change runs in one bbolt transaction, so a crash at any point leaves either
// the old or the new state, never a mix, and a kill -9'd agent reopens the
// file cleanly.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FileName is the store's file inside the data dir.
const FileName = "state.db"

var (
	bucketPlugins = []byte("plugins")
	bucketSpecs   = []byte("task_specs")
	bucketHandles = []byte("task_handles")
	bucketResults = []byte("task_results")
	// bucketSources holds each task file's bytes as they are, apart from
	// the spec's JSON: base64 in JSON took 1.33x the file and json.Marshal's
	// growing buffer several transient copies more (issue 16's 10x bound).
	bucketSources = []byte("task_sources")
	allBuckets    = [][]byte{bucketPlugins, bucketSpecs, bucketHandles, bucketResults, bucketSources}
)

// ErrNotFound is returned for a missing key.
var ErrNotFound = errors.New("not found")

// TaskSpec is what the agent needs to rebuild a task after a restart.
type TaskSpec struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Driver string `json:"driver"`
	File   string `json:"file"`
	// Source is stored in its own bucket; specs written by older agents
	// carry it in their JSON, which is still read.
	Source    []byte    `json:"source,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	TaskDir   string    `json:"task_dir"`
	// Devices are the reserved device IDs, by device plugin name.
	Devices map[string][]string `json:"devices,omitempty"`
	// Stopping is set once a stop was requested, so that a restarted agent
	// finishes the stop rather than keeping the task.
	Stopping bool `json:"stopping,omitempty"`
	// AllocID, AllocDir and DriverTaskID are the task's allocation (one per
	// task), its Nomad-layout allocation directory and the id the driver
	// knows the task by ("<alloc id>/<task name>/<8 hex>"). Empty in specs
	// stored by agents before they existed: the task is then known to its
	// driver by ID and its FIFOs are in TaskDir.
	AllocID      string `json:"alloc_id,omitempty"`
	AllocDir     string `json:"alloc_dir,omitempty"`
	DriverTaskID string `json:"driver_task_id,omitempty"`
}

// DriverID is the id the task's driver knows it by.
func (s *TaskSpec) DriverID() string {
	if s.DriverTaskID != "" {
		return s.DriverTaskID
	}
	return s.ID
}

// AllocIDOrID is the task's NOMAD_ALLOC_ID: its allocation id, or its own
// id for specs stored before allocations existed.
func (s *TaskSpec) AllocIDOrID() string {
	if s.AllocID != "" {
		return s.AllocID
	}
	return s.ID
}

// TaskResult is how a task ended.
type TaskResult struct {
	ExitCode   int       `json:"exit_code"`
	Signal     int       `json:"signal"`
	OOMKilled  bool      `json:"oom_killed"`
	Err        string    `json:"err,omitempty"`
	FinishedAt time.Time `json:"finished_at"`
}

// Store is an open state file. Safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string
}

// Open creates dir (0700) if needed and opens dir/state.db (0600). It fails
// within a second, naming the file, when another agent holds it.
func Open(dir string) (s *Store, err error) {
	// bbolt panics on some kinds of corruption; report it as an error.
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("open state %s: corrupt file: %v", filepath.Join(dir, FileName), r)
		}
	}()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	path := filepath.Join(dir, FileName)
	// A mapping larger than the file from the start: growing it re-maps,
	// and bbolt first copies every live node to the heap (address space
	// only; the file does not grow).
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, InitialMmapSize: 256 << 20})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open state %s: locked by another process (is another yurt agent using this data_dir?)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("chmod state %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("init state %s: %w", path, err)
	}
	// A lone Batch caller waits this long for company before it commits.
	db.MaxBatchDelay = 2 * time.Millisecond
	return &Store{db: db, path: path}, nil
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// Tx is one atomic read-write transaction.
type Tx struct{ tx *bolt.Tx }

// Update runs fn in one transaction: all its writes land, or none do.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// Batch is Update for writes that many goroutines make at once (task
// starts): concurrent calls share one transaction and its fsyncs. fn may
// run more than once, so it must only put or delete.
func (s *Store) Batch(fn func(*Tx) error) error {
	return s.db.Batch(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

func (t *Tx) put(bucket []byte, key string, val []byte) error {
	if key == "" {
		return errors.New("state: empty key")
	}
	return t.tx.Bucket(bucket).Put([]byte(key), val)
}

func (t *Tx) get(bucket []byte, key string) ([]byte, error) {
	v := t.tx.Bucket(bucket).Get([]byte(key))
	if v == nil {
		return nil, fmt.Errorf("%s %q: %w", bucket, key, ErrNotFound)
	}
	return append([]byte(nil), v...), nil
}

func (t *Tx) putJSON(bucket []byte, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s %q: %w", bucket, key, err)
	}
	return t.put(bucket, key, b)
}

func (t *Tx) getJSON(bucket []byte, key string, v any) error {
	b, err := t.get(bucket, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s %q: %w", bucket, key, err)
	}
	return nil
}

// PutPlugin stores a plugin's reattach record (opaque bytes).
func (t *Tx) PutPlugin(name string, record []byte) error { return t.put(bucketPlugins, name, record) }

// Plugin returns a plugin's reattach record.
func (t *Tx) Plugin(name string) ([]byte, error) { return t.get(bucketPlugins, name) }

// DeletePlugin removes a plugin's reattach record.
func (t *Tx) DeletePlugin(name string) error {
	return t.tx.Bucket(bucketPlugins).Delete([]byte(name))
}

// Plugins returns every reattach record by plugin name.
func (t *Tx) Plugins() (map[string][]byte, error) {
	out := map[string][]byte{}
	err := t.tx.Bucket(bucketPlugins).ForEach(func(k, v []byte) error {
		out[string(k)] = append([]byte(nil), v...)
		return nil
	})
	return out, err
}

// PutSpec stores a task spec: its source as is, the rest as JSON.
func (t *Tx) PutSpec(spec *TaskSpec) error {
	meta := *spec
	meta.Source = nil
	if err := t.putJSON(bucketSpecs, spec.ID, &meta); err != nil {
		return err
	}
	if spec.ID == "" {
		return errors.New("state: empty key")
	}
	return t.tx.Bucket(bucketSources).Put([]byte(spec.ID), spec.Source)
}

// fillSource reads s's source from its bucket unless the spec's JSON held
// it (an older agent's).
func (t *Tx) fillSource(s *TaskSpec) {
	if s.Source != nil {
		return
	}
	if v := t.tx.Bucket(bucketSources).Get([]byte(s.ID)); v != nil {
		s.Source = append([]byte{}, v...)
	}
}

// Spec returns a task spec.
func (t *Tx) Spec(id string) (*TaskSpec, error) {
	var s TaskSpec
	if err := t.getJSON(bucketSpecs, id, &s); err != nil {
		return nil, err
	}
	t.fillSource(&s)
	return &s, nil
}

// Specs returns all task specs, oldest first.
func (t *Tx) Specs() ([]*TaskSpec, error) {
	var out []*TaskSpec
	err := t.tx.Bucket(bucketSpecs).ForEach(func(k, v []byte) error {
		var s TaskSpec
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("decode task_specs %q: %w", k, err)
		}
		t.fillSource(&s)
		out = append(out, &s)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, err
}

// PutHandle stores a task's driver handle (driverpb.TaskHandle bytes).
func (t *Tx) PutHandle(id string, handle []byte) error { return t.put(bucketHandles, id, handle) }

// Handle returns a task's driver handle bytes.
func (t *Tx) Handle(id string) ([]byte, error) { return t.get(bucketHandles, id) }

// PutResult stores how a task ended.
func (t *Tx) PutResult(id string, r *TaskResult) error { return t.putJSON(bucketResults, id, r) }

// Result returns how a task ended.
func (t *Tx) Result(id string) (*TaskResult, error) {
	var r TaskResult
	if err := t.getJSON(bucketResults, id, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// DeleteTask removes everything stored for a task.
func (t *Tx) DeleteTask(id string) error {
	for _, b := range [][]byte{bucketSpecs, bucketHandles, bucketResults, bucketSources} {
		if err := t.tx.Bucket(b).Delete([]byte(id)); err != nil {
			return err
		}
	}
	return nil
}

// Check verifies the file's internal consistency (bbolt page checks).
func (s *Store) Check() error {
	return s.db.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}
