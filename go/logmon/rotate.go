package logmon

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Rotator writes a stream into size-limited files <dir>/<name>.<index>,
// 0600, keeping at most MaxFiles of them. Indexes only grow, so a reader can
// tell which file follows which, and a restarted collector appends to the
// newest file instead of overwriting history.
type Rotator struct {
	dir, name string
	maxFiles  int
	maxSize   int64
	f         *os.File
	index     int
	size      int64
}

// NewRotator opens (or continues) the file set.
func NewRotator(dir, name string, maxFiles int, maxSize int64) (*Rotator, error) {
	if maxFiles < 1 || maxSize < 1 {
		return nil, fmt.Errorf("logmon: rotation needs max files >= 1 and max size >= 1, got %d and %d", maxFiles, maxSize)
	}
	r := &Rotator{dir: dir, name: name, maxFiles: maxFiles, maxSize: maxSize}
	idx, err := Indexes(dir, name)
	if err != nil {
		return nil, err
	}
	if len(idx) > 0 {
		r.index = idx[len(idx)-1]
	}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

// FileName is the path of file index of a stream.
func FileName(dir, name string, index int) string {
	return filepath.Join(dir, name+"."+strconv.Itoa(index))
}

// Indexes lists the existing file indexes of a stream, ascending.
func Indexes(dir, name string) ([]int, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("logmon: list %s: %w", dir, err)
	}
	var out []int
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), name+".")
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && n >= 0 && strconv.Itoa(n) == rest {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

func (r *Rotator) open() error {
	f, err := os.OpenFile(FileName(r.dir, r.name, r.index), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("logmon: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("logmon: %w", err)
	}
	r.f, r.size = f, st.Size()
	return nil
}

func (r *Rotator) rotate() error {
	if err := r.f.Close(); err != nil {
		return fmt.Errorf("logmon: %w", err)
	}
	r.index++
	if err := r.open(); err != nil {
		return err
	}
	idx, err := Indexes(r.dir, r.name)
	if err != nil {
		return err
	}
	for _, i := range idx {
		if i <= r.index-r.maxFiles {
			if err := os.Remove(FileName(r.dir, r.name, i)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("logmon: %w", err)
			}
		}
	}
	return nil
}

// Write splits p across files so that none exceeds the size limit.
func (r *Rotator) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if r.size >= r.maxSize {
			if err := r.rotate(); err != nil {
				return written, err
			}
		}
		n := int64(len(p))
		if room := r.maxSize - r.size; n > room {
			n = room
		}
		m, err := r.f.Write(p[:n])
		written += m
		r.size += int64(m)
		if err != nil {
			return written, fmt.Errorf("logmon: %w", err)
		}
		p = p[n:]
	}
	return written, nil
}

// Close closes the current file.
func (r *Rotator) Close() error { return r.f.Close() }
