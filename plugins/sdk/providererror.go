package sdk

import (
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/kontor-app/kontor/plugins/sdk/pluginpb"
)

// ProviderError is the failure of the provider behind a plugin (an LLM or
// telephony API), as opposed to a failure of the plugin: the provider was
// unavailable (overloaded, rate limited, down) after the plugin's retries,
// or it rejected the request, with its own message. It crosses the plugin
// boundary intact, so Kontor can tell the user "try again later" from
// "fix this".
type ProviderError struct {
	// Provider is the provider's name, e.g. "anthropic".
	Provider string
	// HTTPStatus is the provider's last HTTP status; 0 when it did not
	// answer at all.
	HTTPStatus int
	// Type is the provider's error type or code, e.g. "overloaded_error".
	Type string
	// Message is the provider's message.
	Message string
	// Unavailable is true when trying again later may work (429, 5xx, no
	// answer), false when the provider rejected the request (4xx).
	Unavailable bool
	// Attempts is how many times the plugin tried.
	Attempts int
}

func (e *ProviderError) Error() string {
	detail := ""
	switch {
	case e.HTTPStatus != 0 && e.Type != "":
		detail = fmt.Sprintf("HTTP %d %s", e.HTTPStatus, e.Type)
	case e.HTTPStatus != 0:
		detail = fmt.Sprintf("HTTP %d", e.HTTPStatus)
	default:
		detail = "no answer"
	}
	if e.Unavailable {
		if e.Attempts > 1 {
			detail += fmt.Sprintf(", %d attempts", e.Attempts)
		}
		return fmt.Sprintf("%s is unavailable, try again later (%s): %s", e.Provider, detail, e.Message)
	}
	return fmt.Sprintf("%s rejected the request (%s): %s", e.Provider, detail, e.Message)
}

// providerStatus is the gRPC status that carries a provider error: code
// Aborted when the provider was unavailable, FailedPrecondition when it
// rejected the request (never Unavailable, which means that the plugin
// itself crashed), with the error as a pluginpb.ProviderError detail.
func providerStatus(e *ProviderError) error {
	code := codes.FailedPrecondition
	if e.Unavailable {
		code = codes.Aborted
	}
	st, err := status.New(code, e.Error()).WithDetails(&pluginpb.ProviderError{
		Provider: e.Provider, HttpStatus: int32(e.HTTPStatus), Type: e.Type, Message: e.Message,
		Unavailable: e.Unavailable, Attempts: int32(e.Attempts),
	})
	if err != nil {
		return status.Error(code, e.Error())
	}
	return st.Err()
}

// fromStatus returns the *ProviderError a status carries, or err as it is.
func fromStatus(err error) error {
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	for _, d := range st.Details() {
		if pe, ok := d.(*pluginpb.ProviderError); ok {
			return &ProviderError{
				Provider: pe.GetProvider(), HTTPStatus: int(pe.GetHttpStatus()), Type: pe.GetType(),
				Message: pe.GetMessage(), Unavailable: pe.GetUnavailable(), Attempts: int(pe.GetAttempts()),
			}
		}
	}
	return err
}

// IsProviderUnavailable reports whether err is a provider error on which
// trying again later may work.
func IsProviderUnavailable(err error) bool {
	var pe *ProviderError
	return errors.As(err, &pe) && pe.Unavailable
}
