package testserver

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Event is one realtime message: its topic and its decoded data.
type Event struct {
	Topic string
	Data  map[string]any
}

// Subscription is a realtime connection that records what it receives.
type Subscription struct {
	mu     sync.Mutex
	events []Event
}

// Events returns what the subscription has received so far.
func (s *Subscription) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// Subscribe opens the realtime stream as the user of token and subscribes to
// the topics (a collection name, or "collection/id"). The connection closes
// when the test ends.
func (s *Server) Subscribe(t testing.TB, token string, topics ...string) *Subscription {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/api/realtime", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	sub := &Subscription{}
	connected := make(chan string, 1)
	go func() {
		defer res.Body.Close()
		scanner := bufio.NewScanner(res.Body)
		scanner.Buffer(make([]byte, 1<<20), 1<<20)
		var topic string
		for scanner.Scan() {
			line := scanner.Text()
			switch {
			case strings.HasPrefix(line, "event:"):
				topic = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:"):
				var data map[string]any
				_ = json.Unmarshal([]byte(strings.TrimSpace(strings.TrimPrefix(line, "data:"))), &data)
				if topic == "PB_CONNECT" {
					id, _ := data["clientId"].(string)
					connected <- id
					continue
				}
				sub.mu.Lock()
				sub.events = append(sub.events, Event{Topic: topic, Data: data})
				sub.mu.Unlock()
			}
		}
	}()
	var clientID string
	select {
	case clientID = <-connected:
	case <-time.After(5 * time.Second):
		t.Fatal("realtime: no PB_CONNECT")
	}
	s.Must(t, token, http.MethodPost, "/api/realtime", map[string]any{"clientId": clientID, "subscriptions": topics})
	return sub
}
