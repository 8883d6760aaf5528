// Package gemini is the first-party LLM plugin "gemini": Google's Gemini
// through the Gemini API's generateContent (POST
// /v1beta/models/{model}:generateContent), with function calling, and
// streamGenerateContent for streamed answers.
//
// Settings, passed with every call:
//
//	api_key   required: a Gemini API key of a project with billing enabled
//	model     optional: the model, DefaultModel when empty
//	base_url  optional: another API base URL (tests, a gateway)
//
// On Paid Services (billing enabled) Google does not use prompts or
// answers to improve its products; it logs them for a limited time for
// abuse monitoring unless the project's zero data retention request was
// approved. generateContent has no request field for either, so none is
// sent; the plugin sends no grounding tool (Google Search grounding keeps
// prompts 30 days) and no user id.
package gemini

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/sdk/providerapi"
)

// Name is the plugin's id.
const Name = "gemini"

// The settings the plugin reads.
const (
	SettingAPIKey  = "api_key"
	SettingModel   = "model"
	SettingBaseURL = "base_url"
)

// The API the plugin speaks.
const (
	DefaultBaseURL   = "https://generativelanguage.googleapis.com"
	DefaultModel     = "gemini-2.5-flash"
	DefaultMaxTokens = 4096
)

// Models are the models the plugin offers, the default first; the model
// setting may name any other.
var Models = []string{DefaultModel, "gemini-2.5-pro", "gemini-2.5-flash-lite"}

// Privacy is what Describe says about the data sent.
const Privacy = "With billing enabled (Paid Services), Google does not use Gemini API prompts or responses to improve its products. " +
	"It logs them for a limited period for abuse monitoring unless the project's zero data retention request was approved. " +
	"generateContent has no request option for either, so none is sent; the plugin sends no grounding tool and no user id. " +
	"Do not use a key of a project without billing: Google may then use the data to improve its products."

// modelPattern is what a model name looks like: it goes into the URL path.
var modelPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Provider is Gemini through the Gemini API.
type Provider struct {
	// Retry is how failed calls are retried; zero for providerapi.DefaultRetry.
	Retry providerapi.Retry
}

// Describe says what the plugin is.
func (Provider) Describe() sdk.Description {
	return sdk.Description{
		Kind:         sdk.KindLLM,
		Name:         Name,
		Title:        "Google Gemini",
		Version:      "1.0.0",
		Capabilities: []string{sdk.CapabilityTools, sdk.CapabilityStreaming},
		Models:       Models,
		Privacy:      Privacy,
	}
}

// Chat sends the conversation to generateContent and reads the first
// candidate: its text parts joined, its functionCall parts as tool calls.
// 429 and 5xx are retried with backoff; a 4xx is a rejected
// *sdk.ProviderError with Google's message.
func (p Provider) Chat(ctx context.Context, req sdk.ChatRequest) (*sdk.ChatResponse, error) {
	c, model, err := p.client(req.Settings)
	if err != nil {
		return nil, err
	}
	body, err := Request(req)
	if err != nil {
		return nil, err
	}
	raw, err := c.Do(ctx, providerapi.Request{Method: http.MethodPost, Path: "/v1beta/models/" + model + ":generateContent", JSON: body, Idempotent: true})
	if err != nil {
		return nil, err
	}
	return Response(raw, model)
}

// client reads the settings.
func (p Provider) client(settings map[string]string) (*providerapi.Client, string, error) {
	key := strings.TrimSpace(settings[SettingAPIKey])
	if key == "" {
		return nil, "", errors.New("gemini: the api_key setting is not set")
	}
	base, err := providerapi.BaseURL(Name, SettingBaseURL, settings, DefaultBaseURL)
	if err != nil {
		return nil, "", err
	}
	model := strings.TrimPrefix(strings.TrimSpace(settings[SettingModel]), "models/")
	if model == "" {
		model = DefaultModel
	}
	if !modelPattern.MatchString(model) {
		return nil, "", fmt.Errorf("gemini: the model setting %q is not a model name like %q", model, DefaultModel)
	}
	c := providerapi.New(Name, base, p.Retry, readError)
	c.Header["x-goog-api-key"] = key
	return c, model, nil
}

// readError reads Google's error body:
// {"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED"}}.
func readError(body []byte) (string, string) {
	var e struct {
		Error struct {
			Message string `json:"message"`
			Status  string `json:"status"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "", ""
	}
	return e.Error.Status, e.Error.Message
}

// invalid is a request Kontor should not have made.
func invalid(format string, args ...any) error {
	return fmt.Errorf("gemini: "+format, args...)
}
