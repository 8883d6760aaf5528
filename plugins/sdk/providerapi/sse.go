package providerapi

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// ErrStopEvents, returned by the function given to ReadEvents, stops the
// reading without an error: the answer is complete.
var ErrStopEvents = errors.New("providerapi: stop reading events")

// ReadEvents reads a stream of server-sent events (text/event-stream) and
// calls fn with each event's name ("message" when it has none) and data
// (its data lines joined by "\n"), as the stream delivers them. Comments
// and fields other than event and data are skipped; lines may end in
// "\n" or "\r\n". It returns fn's error, nil when fn returns
// ErrStopEvents or the stream ends, or the error of the reading.
func ReadEvents(r io.Reader, fn func(event, data string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxResponseBytes)
	var event string
	var data []string
	dispatch := func() error {
		defer func() { event, data = "", nil }()
		if data == nil {
			return nil
		}
		name := event
		if name == "" {
			name = "message"
		}
		return fn(name, strings.Join(data, "\n"))
	}
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if err := dispatch(); err != nil {
				if errors.Is(err, ErrStopEvents) {
					return nil
				}
				return err
			}
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			event = value
		case "data":
			data = append(data, value)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	// a last event without its blank line still counts
	if err := dispatch(); err != nil && !errors.Is(err, ErrStopEvents) {
		return err
	}
	return nil
}
