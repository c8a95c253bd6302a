package logmon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Pos is a place in a rotated stream: a file index and a byte offset in it.
type Pos struct {
	Index  int   `json:"index"`
	Offset int64 `json:"offset"`
}

// PollInterval is how often a following reader looks for new data.
const PollInterval = 100 * time.Millisecond

// Read hands a stream's data to emit, from from (nil: the oldest kept file),
// in order across rotations, each chunk with the position just after it so
// that a caller can resume there. Without follow it returns at the end of
// the newest file; with follow it keeps waiting for data until ctx is done.
func Read(ctx context.Context, logDir, stream string, from *Pos, follow bool, emit func(data []byte, after Pos) error) (Pos, error) {
	var pos Pos
	idx, err := Indexes(logDir, stream)
	if err != nil {
		return pos, err
	}
	switch {
	case from != nil && (len(idx) == 0 || from.Index >= idx[0]):
		pos = *from
	case len(idx) > 0:
		pos = Pos{Index: idx[0]}
	}
	for {
		n, err := copyFrom(logDir, stream, &pos, emit)
		if err != nil {
			return pos, err
		}
		next, err := hasAfter(logDir, stream, pos.Index)
		if err != nil {
			return pos, err
		}
		if next >= 0 {
			// The writer moved on; take what was appended before it did.
			if _, err := copyFrom(logDir, stream, &pos, emit); err != nil {
				return pos, err
			}
			pos = Pos{Index: next}
			continue
		}
		if !follow {
			return pos, nil
		}
		if n == 0 {
			select {
			case <-ctx.Done():
				return pos, nil
			case <-time.After(PollInterval):
			}
		}
	}
}

func copyFrom(dir, stream string, pos *Pos, emit func([]byte, Pos) error) (int64, error) {
	f, err := os.Open(FileName(dir, stream, pos.Index))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("logmon: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(pos.Offset, io.SeekStart); err != nil {
		return 0, fmt.Errorf("logmon: %w", err)
	}
	var total int64
	buf := make([]byte, 32<<10)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			pos.Offset += int64(n)
			total += int64(n)
			if eerr := emit(buf[:n], *pos); eerr != nil {
				return total, eerr
			}
		}
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil {
			return total, fmt.Errorf("logmon: read %s: %w", f.Name(), err)
		}
	}
}

// WriterEmit adapts an io.Writer to Read's emit callback.
func WriterEmit(w io.Writer) func([]byte, Pos) error {
	return func(b []byte, _ Pos) error {
		_, err := w.Write(b)
		return err
	}
}

// hasAfter returns the smallest existing index above i, or -1.
func hasAfter(dir, stream string, i int) (int, error) {
	idx, err := Indexes(dir, stream)
	if err != nil {
		return -1, err
	}
	for _, n := range idx {
		if n > i {
			return n, nil
		}
	}
	return -1, nil
}
