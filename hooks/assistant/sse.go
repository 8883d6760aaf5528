package assistant

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// The events of an answer's stream, in the order they may come:
// conversation first, then delta for each piece of the model's text as it
// comes, tool_call and tool_result for every tool the model calls,
// message with the whole text of each step (the deltas joined, as stored)
// or error, and done last.
const (
	EventConversation = "conversation"
	EventDelta        = "delta"
	EventToolCall     = "tool_call"
	EventToolResult   = "tool_result"
	EventMessage      = "message"
	EventError        = "error"
	EventDone         = "done"
)

// stream writes server-sent events to a response, each flushed as it is
// written so that the client sees every step when it completes.
type stream struct {
	e *core.RequestEvent
}

// startStream answers the request with an event stream. Like PocketBase's
// realtime route, it lifts the server's write timeout: a model may think
// for minutes.
func startStream(e *core.RequestEvent) (*stream, error) {
	rc := http.NewResponseController(e.Response)
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return nil, err
	}
	h := e.Response.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("Connection", "keep-alive")
	// nginx and other proxies pass the stream on as it comes
	h.Set("X-Accel-Buffering", "no")
	e.Response.WriteHeader(http.StatusOK)
	s := &stream{e: e}
	return s, s.flush()
}

// send writes one event whose data is the JSON of v.
func (s *stream) send(event string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(s.e.Response, "event: %s\ndata: %s\n\n", event, data); err != nil {
		return err
	}
	return s.flush()
}

func (s *stream) flush() error {
	if err := s.e.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}
