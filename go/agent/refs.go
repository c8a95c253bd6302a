package agent

import (
	"fmt"
	"sort"
	"strings"

	"github.com/yurt-sdk/yurt/go/inputlimit"
)

// Task references. A reference is, in this order:
//
//  1. an exact task ID;
//  2. an exact task name: the newest task of that name (a name is running
//     at most once; older ones are history);
//  3. a unique prefix of one task ID.
//
// IDs take a form no name can: "<name>@<8 hex digits>". Task names may hold
// only letters, digits, '_', '.' and '-' (config.TaskNamePattern), so no
// name equals or starts like another task's ID, and `yurt stop web-1f2e3d4c`
// can never mean a task named so. A prefix that fits several IDs is
// refused, listing them.

// idSeparator separates the name from the random part of a task ID.
const idSeparator = "@"

// refError is a reference that names no task, or several.
type refError struct {
	ref        string
	candidates []string // IDs, when ambiguous
}

func (e *refError) Error() string {
	q := inputlimit.Quote(e.ref, 0)
	if len(e.candidates) == 0 {
		return fmt.Sprintf("no task with name or id %s", q)
	}
	const show = 10
	c := e.candidates
	more := ""
	if len(c) > show {
		more = fmt.Sprintf(" and %d more", len(c)-show)
		c = c[:show]
	}
	return fmt.Sprintf("task reference %s is ambiguous: it is the start of %d task IDs (%s%s); give more of the ID",
		q, len(e.candidates), strings.Join(c, ", "), more)
}

// resolveTask finds the one task a reference means.
func (a *Agent) resolveTask(ref string) (*task, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.tasks[ref]; ok {
		return t, nil
	}
	var best *task
	for _, t := range a.tasks {
		if t.spec.Name == ref && (best == nil || t.spec.CreatedAt.After(best.spec.CreatedAt)) {
			best = t
		}
	}
	if best != nil {
		return best, nil
	}
	var matches []*task
	if ref != "" {
		for id, t := range a.tasks {
			if strings.HasPrefix(id, ref) {
				matches = append(matches, t)
			}
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return nil, &refError{ref: ref}
	}
	ids := make([]string, len(matches))
	for i, t := range matches {
		ids[i] = t.spec.ID
	}
	sort.Strings(ids)
	return nil, &refError{ref: ref, candidates: ids}
}
