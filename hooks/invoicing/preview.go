package invoicing

import (
	"encoding/json"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// previewRequest is the body of the preview route.
type previewRequest struct {
	Lines    json.RawMessage `json:"lines"`
	Language string          `json:"language"`
}

// previewResponse is what a draft's lines would total.
type previewResponse struct {
	Lines        []en16931.Line          `json:"lines"`
	Totals       Totals                  `json:"totals"`
	VATBreakdown []en16931.BreakdownJSON `json:"vat_breakdown"`
}

// previewRoute is POST /api/kontor/invoices/preview: the totals engine on
// lines not yet saved, so a form shows, as it is typed, exactly what the
// server will store. It reads and writes nothing.
func previewRoute(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	var body previewRequest
	if err := json.NewDecoder(e.Request.Body).Decode(&body); err != nil {
		return e.BadRequestError(`The body must be JSON like {"lines": [...], "language": "en"}.`, nil)
	}
	lines, lineErrs := en16931.ParseLines(body.Lines)
	if len(lineErrs) > 0 {
		errs := fielderr.Errors{}
		errs.AddLines(lineErrs)
		return errs.Err()
	}
	if lines == nil {
		lines = []en16931.Line{}
	}
	totals := en16931.Compute(lines, body.Language)
	return e.JSON(http.StatusOK, previewResponse{Lines: lines, Totals: newTotals(totals), VATBreakdown: totals.BreakdownForAPI()})
}
