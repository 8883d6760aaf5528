package providerapi_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

func TestReadEvents(t *testing.T) {
	cases := []struct {
		name   string
		stream string
		want   []string
	}{
		{"named events", "event: ping\ndata: {\"type\": \"ping\"}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
			[]string{`ping {"type": "ping"}`, `message_stop {"type":"message_stop"}`}},
		{"data only, CRLF", "data: {\"a\":1}\r\n\r\ndata: {\"a\":2}\r\n\r\n", []string{`message {"a":1}`, `message {"a":2}`}},
		{"comments, multi-line data, no space, no final blank line", ": keep-alive\n\ndata:one\ndata: two\nid: 7\n\ndata: last",
			[]string{"message one\ntwo", "message last"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := providerapi.ReadEvents(strings.NewReader(tc.stream), func(event, data string) error {
				got = append(got, event+" "+data)
				return nil
			})
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q %v, want %q", got, err, tc.want)
			}
		})
	}

	n := 0
	err := providerapi.ReadEvents(strings.NewReader("data: 1\n\ndata: 2\n\ndata: 3\n\n"), func(_, data string) error {
		n++
		if data == "2" {
			return providerapi.ErrStopEvents
		}
		return nil
	})
	if err != nil || n != 2 {
		t.Fatalf("stop: %v after %d", err, n)
	}
	boom := errors.New("boom")
	if err := providerapi.ReadEvents(strings.NewReader("data: 1\n\n"), func(string, string) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("fn's error: %v", err)
	}
}
