package agent

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
)

func TestEventLog(t *testing.T) {
	l := newEventLog(3)
	for i := 0; i < 5; i++ {
		l.add(api.Event{Message: fmt.Sprint(i)})
	}
	past, ch, unsub := l.subscribe()
	require.Len(t, past, 3)
	assert.Equal(t, "2", past[0].Message, "only the newest are kept")
	assert.False(t, past[0].Time.IsZero(), "time filled in")
	l.add(api.Event{Message: "new"})
	assert.Equal(t, "new", (<-ch).Message)
	unsub()
	l.add(api.Event{Message: "after"})
	select {
	case e := <-ch:
		t.Fatalf("unsubscribed follower got %v", e)
	default:
	}
	// A follower that never reads does not block the agent.
	_, _, unsub2 := l.subscribe()
	defer unsub2()
	for i := 0; i < 1000; i++ {
		l.add(api.Event{Message: "flood"})
	}
}
