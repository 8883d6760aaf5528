package proposals

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/kontor-app/kontor/en16931"
)

// Line is one line of a proposal: an invoice line that may be optional.
// An optional line counts only when it is included; the buyer ticks it in
// or out before signing. A line that is not optional is always included.
type Line struct {
	en16931.Line
	Optional bool
	Included bool
}

// MarshalJSON writes the line as an invoice line with "optional" and
// "included".
func (l Line) MarshalJSON() ([]byte, error) {
	raw, err := l.Line.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	fields["optional"] = l.Optional
	fields["included"] = l.Included
	return json.Marshal(fields)
}

// parseLines reads the lines of a proposal: invoice lines checked by the
// invoice engine, each with an optional "optional" and "included" flag.
func parseLines(raw []byte) ([]Line, en16931.Errors) {
	base, errs := en16931.ParseLines(raw)
	if base == nil {
		return nil, errs
	}
	var flags []map[string]json.RawMessage
	_ = json.Unmarshal(bytes.TrimSpace(raw), &flags)
	lines := make([]Line, len(base))
	for i, l := range base {
		lines[i].Line = l
		var f map[string]json.RawMessage
		if i < len(flags) {
			f = flags[i]
		}
		for _, name := range []string{"optional", "included"} {
			v, ok := f[name]
			if !ok || string(v) == "null" {
				continue
			}
			var b bool
			if json.Unmarshal(v, &b) != nil {
				errs = append(errs, en16931.FieldError{Line: i, Field: name, Message: fmt.Sprintf("Line %d: %s is true or false.", i+1, name)})
				continue
			}
			if name == "optional" {
				lines[i].Optional = b
			} else {
				lines[i].Included = b
			}
		}
		if !lines[i].Optional {
			lines[i].Included = true
		}
	}
	return lines, errs
}

// compute works out the amounts of every line and the totals of the
// included ones, by the invoice engine (EN 16931 rules, decimal).
func compute(lines []Line, language string) en16931.Totals {
	all := make([]en16931.Line, len(lines))
	for i, l := range lines {
		all[i] = l.Line
	}
	en16931.Compute(all, language) // every line's own amounts
	var included []en16931.Line
	for i := range lines {
		lines[i].Line = all[i]
		if lines[i].Included {
			included = append(included, all[i])
		}
	}
	return en16931.Compute(included, language)
}

// withIncluded returns a copy of the lines in which exactly the optional
// lines at the indexes given are included.
func withIncluded(lines []Line, included []int) ([]Line, error) {
	out := make([]Line, len(lines))
	copy(out, lines)
	for i := range out {
		if out[i].Optional {
			out[i].Included = false
		}
	}
	for _, i := range included {
		if i < 0 || i >= len(out) || !out[i].Optional {
			return nil, fmt.Errorf("line %d is not an optional line of this proposal", i+1)
		}
		out[i].Included = true
	}
	return out, nil
}
