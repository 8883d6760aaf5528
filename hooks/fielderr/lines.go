package fielderr

import (
	"strconv"

	"github.com/kontor-app/kontor/en16931"
)

// AddLines records the problems of a document's lines: those of the lines
// as a whole under "lines", those of one line under its 0-based index, as
// in data.lines["2"].quantity.
func (e Errors) AddLines(problems en16931.Errors) {
	for _, p := range problems {
		if p.Line < 0 || p.Field == "" {
			e.Add("lines", p.Message)
			continue
		}
		e.Nested("lines").Nested(strconv.Itoa(p.Line)).Add(p.Field, p.Message)
	}
}
