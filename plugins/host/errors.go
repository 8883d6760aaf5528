package host

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotFound is wrapped by the error of a call to a plugin that is not
// loaded.
var ErrNotFound = errors.New("plugin not found")

// NotFoundError is a call to a plugin name that no loaded plugin of the
// kind has.
type NotFoundError struct {
	Kind      string
	Name      string
	Available []string
}

func (e *NotFoundError) Error() string {
	if len(e.Available) == 0 {
		return fmt.Sprintf("there is no %s %q: no %s plugin is loaded", e.Kind, e.Name, e.Kind)
	}
	return fmt.Sprintf("there is no %s %q; available: %s", e.Kind, e.Name, strings.Join(e.Available, ", "))
}

func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// Reasons of a CallError.
const (
	ReasonCrashed     = "crashed"     // the plugin process ended during the call
	ReasonTimeout     = "timeout"     // the plugin did not answer within the call timeout
	ReasonFailed      = "failed"      // the plugin answered with an error
	ReasonUnavailable = "unavailable" // the plugin could not be started
)

// CallError is a call to a plugin that did not succeed: the plugin failed,
// not the caller. Kontor answers it as a bad gateway (502), or a gateway
// timeout (504) for ReasonTimeout.
type CallError struct {
	Plugin  string        // the plugin's name
	Call    string        // what was asked, e.g. "render"
	Reason  string        // one of the Reason constants
	Timeout time.Duration // for ReasonTimeout
	Err     error
}

func (e *CallError) Error() string {
	switch e.Reason {
	case ReasonCrashed:
		return fmt.Sprintf("plugin %s stopped during %s (it crashed) and is being restarted; try again: %v", e.Plugin, e.Call, e.Err)
	case ReasonTimeout:
		return fmt.Sprintf("plugin %s did not finish %s within %s and was restarted", e.Plugin, e.Call, e.Timeout)
	case ReasonUnavailable:
		return fmt.Sprintf("plugin %s could not be started for %s: %v", e.Plugin, e.Call, e.Err)
	}
	return fmt.Sprintf("plugin %s failed during %s: %v", e.Plugin, e.Call, e.Err)
}

func (e *CallError) Unwrap() error { return e.Err }
