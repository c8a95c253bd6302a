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

// Read copies a stream's files from from (nil: the oldest kept file) to w,
// in order across rotations. Without follow it returns at the end of the
// newest file; with follow it keeps waiting for data until ctx is done.
// flush, if set, is called after each burst of data. It returns where it
// stopped, so that a caller can resume.
func Read(ctx context.Context, logDir, stream string, from *Pos, follow bool, w io.Writer, flush func()) (Pos, error) {
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
		n, err := copyFrom(logDir, stream, &pos, w)
		if err != nil {
			return pos, err
		}
		if n > 0 && flush != nil {
			flush()
		}
		next, err := hasAfter(logDir, stream, pos.Index)
		if err != nil {
			return pos, err
		}
		if next >= 0 {
			// The writer moved on; take what was appended before it did.
			if _, err := copyFrom(logDir, stream, &pos, w); err != nil {
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

func copyFrom(dir, stream string, pos *Pos, w io.Writer) (int64, error) {
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
	n, err := io.Copy(w, f)
	pos.Offset += n
	if err != nil {
		return n, fmt.Errorf("logmon: copy %s: %w", f.Name(), err)
	}
	return n, nil
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
