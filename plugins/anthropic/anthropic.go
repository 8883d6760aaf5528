// Package anthropic is the first-party LLM plugin "anthropic": Anthropic's
// Claude through the Messages API (POST /v1/messages), with tool use and
// streamed answers.
//
// Settings, passed with every call:
//
//	api_key   required: an Anthropic API key (sk-ant-…)
//	model     optional: the model, DefaultModel when empty
//	base_url  optional: another API base URL (tests, a gateway)
//
// Anthropic does not train models on what its commercial API is sent;
// there is no request field for it, and none for zero retention, which is
// an agreement with Anthropic. The plugin sends no user id or metadata.
package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

// Name is the plugin's id.
const Name = "anthropic"

// The settings the plugin reads.
const (
	SettingAPIKey  = "api_key"
	SettingModel   = "model"
	SettingBaseURL = "base_url"
)

// The API the plugin speaks.
const (
	DefaultBaseURL   = "https://api.anthropic.com"
	APIVersion       = "2023-06-01"
	DefaultModel     = "claude-sonnet-4-5"
	DefaultMaxTokens = 4096
)

// Models are the models the plugin offers, the default first; the model
// setting may name any other.
var Models = []string{DefaultModel, "claude-opus-4-1", "claude-haiku-4-5"}

// Privacy is what Describe says about the data sent.
const Privacy = "Anthropic does not use API inputs or outputs to train its models (Commercial Terms). " +
	"It keeps them up to 30 days for abuse monitoring unless the organisation has a zero data retention agreement. " +
	"The API has no request option for either, so none is sent; the plugin sends no user id or metadata."

// Provider is Claude through Anthropic's Messages API.
type Provider struct {
	// Retry is how failed calls are retried; zero for providerapi.DefaultRetry.
	Retry providerapi.Retry
}

// Describe says what the plugin is.
func (Provider) Describe() sdk.Description {
	return sdk.Description{
		Kind:         sdk.KindLLM,
		Name:         Name,
		Title:        "Anthropic Claude",
		Version:      "1.0.0",
		Capabilities: []string{sdk.CapabilityTools, sdk.CapabilityStreaming},
		Models:       Models,
		Privacy:      Privacy,
	}
}

// Chat sends the conversation to POST /v1/messages and reads the answer:
// its text blocks joined, its tool_use blocks as tool calls. 429, 529
// (overloaded) and 5xx are retried with backoff; a 4xx is a rejected
// *sdk.ProviderError with Anthropic's message.
func (p Provider) Chat(ctx context.Context, req sdk.ChatRequest) (*sdk.ChatResponse, error) {
	c, model, err := p.client(req.Settings)
	if err != nil {
		return nil, err
	}
	body, err := Request(model, req)
	if err != nil {
		return nil, err
	}
	raw, err := c.Do(ctx, providerapi.Request{Method: http.MethodPost, Path: "/v1/messages", JSON: body, Idempotent: true})
	if err != nil {
		return nil, err
	}
	return Response(raw)
}

// client reads the settings.
func (p Provider) client(settings map[string]string) (*providerapi.Client, string, error) {
	key := strings.TrimSpace(settings[SettingAPIKey])
	if key == "" {
		return nil, "", errors.New("anthropic: the api_key setting is not set")
	}
	base, err := providerapi.BaseURL(Name, SettingBaseURL, settings, DefaultBaseURL)
	if err != nil {
		return nil, "", err
	}
	model := strings.TrimSpace(settings[SettingModel])
	if model == "" {
		model = DefaultModel
	}
	c := providerapi.New(Name, base, p.Retry, readError)
	c.Header["x-api-key"] = key
	c.Header["anthropic-version"] = APIVersion
	return c, model, nil
}

// readError reads Anthropic's error body:
// {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}.
func readError(body []byte) (string, string) {
	var e struct {
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "", ""
	}
	return e.Error.Type, e.Error.Message
}

// invalid is a request Kontor should not have made.
func invalid(format string, args ...any) error {
	return fmt.Errorf("anthropic: "+format, args...)
}
