// Package fielderr builds the 400 errors whose data names the field at fault,
// in PocketBase's error shape, so a form can show each message beside its
// field: {"status": 400, "message": ..., "data": {"field": {"code", "message"}}}.
package fielderr

import (
	"fmt"
	"sort"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
)

// Code is the error code of every Kontor field error.
const Code = "validation_kontor"

// Errors collects messages by field name; a value is a string or, for a
// nested field such as one line of an invoice, another Errors.
type Errors map[string]any

// Add records message for field; the first message of a field wins.
func (e Errors) Add(field, message string) {
	if _, ok := e[field]; !ok {
		e[field] = message
	}
}

// Nested returns the Errors of a nested field, creating it.
func (e Errors) Nested(field string) Errors {
	if sub, ok := e[field].(Errors); ok {
		return sub
	}
	sub := Errors{}
	e[field] = sub
	return sub
}

// Err returns nil when there is no message (nested or not), otherwise a 400 whose message is
// the only message, or the count of messages and the first (by field name).
func (e Errors) Err() error {
	msgs := e.messages()
	if len(msgs) == 0 {
		return nil
	}
	message := msgs[0]
	if len(msgs) > 1 {
		message = fmt.Sprintf("%d problems to fix. %s", len(msgs), msgs[0])
	}
	return apis.NewBadRequestError(message, e.validation())
}

func (e Errors) messages() []string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		switch v := e[k].(type) {
		case string:
			out = append(out, v)
		case Errors:
			out = append(out, v.messages()...)
		}
	}
	return out
}

func (e Errors) validation() validation.Errors {
	out := validation.Errors{}
	for field, v := range e {
		switch v := v.(type) {
		case string:
			out[field] = validation.NewError(Code, v)
		case Errors:
			out[field] = v.validation()
		}
	}
	return out
}

// New returns the error for one field.
func New(field, message string) error {
	return Errors{field: message}.Err()
}
