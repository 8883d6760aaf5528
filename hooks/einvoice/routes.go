package einvoice

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// formatJSON is a format as GET /api/kontor/formats lists it.
type formatJSON struct {
	Name         string   `json:"name"`
	Title        string   `json:"title"`
	Version      string   `json:"version"`
	MediaType    string   `json:"media_type"`
	Capabilities []string `json:"capabilities"`
	// Builtin is true for Kontor's own formats, false for a third party's.
	Builtin bool `json:"builtin"`
}

// formatsRoute is GET /api/kontor/formats: the loaded formats, for any
// signed-in user.
func formatsRoute(r Renderer) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		items := []formatJSON{}
		for _, f := range r.Formats() {
			items = append(items, formatJSON{Name: f.Name, Title: f.Title, Version: f.Version, MediaType: f.MediaType,
				Capabilities: f.Capabilities, Builtin: f.Origin == "built-in"})
		}
		return e.JSON(http.StatusOK, map[string]any{"items": items})
	}
}

// documentRoute is GET /api/kontor/invoices/{id}/einvoice/{format}: the
// e-invoice of an issued invoice or credit note, for any member of its
// workspace, viewers included, in a format the workspace's plan allows.
func documentRoute(r Renderer, allow Allowance) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		record, err := access.RequireRecord(e, "invoices", access.Viewer)
		if err != nil {
			return err
		}
		if allow != nil {
			if err := allow(e.App, record.GetString("workspace"), e.Request.PathValue("format")); err != nil {
				return err
			}
		}
		doc, err := Document(e.Request.Context(), e.App, r, record, e.Request.PathValue("format"))
		if err != nil {
			return err
		}

		e.Response.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": doc.FileName}))
		e.Response.Header().Set("Cache-Control", "private, no-store")
		mediaType := doc.MediaType
		if mediaType == "" {
			mediaType = "application/octet-stream"
		}
		return e.Blob(http.StatusOK, mediaType, doc.Content)
	}
}

// find returns the format of the name and the names of all.
func find(formats []host.Info, name string) (*host.Info, []string) {
	var found *host.Info
	names := make([]string, 0, len(formats))
	for i, f := range formats {
		names = append(names, f.Name)
		if f.Name == name {
			found = &formats[i]
		}
	}
	return found, names
}

func notFound(name string, available []string) string {
	if len(available) == 0 {
		return "There is no e-invoice format \"" + name + "\": no format plugin is loaded."
	}
	return "There is no e-invoice format \"" + name + "\". Available: " + strings.Join(available, ", ") + "."
}

// renderError answers a failed render: an unknown format is a 404, a
// plugin that crashed or failed a 502, one that timed out a 504.
func renderError(app core.App, err error) error {
	var nf *host.NotFoundError
	if errors.As(err, &nf) {
		return apis.NewNotFoundError(notFound(nf.Name, nf.Available), nil)
	}
	var ce *host.CallError
	if errors.As(err, &ce) {
		status := http.StatusBadGateway
		if ce.Reason == host.ReasonTimeout {
			status = http.StatusGatewayTimeout
		}
		app.Logger().Error("e-invoice not rendered", "format", ce.Plugin, "reason", ce.Reason, "error", err.Error())
		return apis.NewApiError(status, "The e-invoice could not be produced: "+ce.Error()+".", nil)
	}
	return apis.NewInternalServerError("", err)
}

// issuesError answers an invoice that lacks what the format needs: a 422
// that names each missing field, in PocketBase's error shape.
func issuesError(title string, issues []sdk.Issue) error {
	data := validation.Errors{}
	var messages []string
	for _, i := range issues {
		field := i.Field
		if field == "" {
			field = "invoice"
		}
		if _, taken := data[field]; !taken {
			data[field] = validation.NewError(codeOf(i), i.Message)
		}
		messages = append(messages, i.Message)
	}
	return apis.NewApiError(http.StatusUnprocessableEntity, title+" cannot be produced for this invoice. "+strings.Join(messages, " "), data)
}

// codeOf is the error code of an issue: its rule, else a generic one.
func codeOf(i sdk.Issue) string {
	if i.Rule != "" {
		return i.Rule
	}
	return "validation_einvoice"
}
