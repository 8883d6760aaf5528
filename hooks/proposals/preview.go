package proposals

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

// previewResponse is what a proposal's lines would total.
type previewResponse struct {
	Lines        []Line                  `json:"lines"`
	Totals       Totals                  `json:"totals"`
	VATBreakdown []en16931.BreakdownJSON `json:"vat_breakdown"`
}

// previewRoute is POST /api/kontor/proposals/preview: the totals engine on
// lines not yet saved, so the editor shows, as it is typed, what the server
// will store. It reads and writes nothing.
func previewRoute(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	var body previewRequest
	if err := json.NewDecoder(http.MaxBytesReader(e.Response, e.Request.Body, 4<<20)).Decode(&body); err != nil {
		return e.BadRequestError(`The body must be JSON like {"lines": [...], "language": "en"}.`, nil)
	}
	lines, lineErrs := parseLines(body.Lines)
	if len(lineErrs) > 0 {
		errs := fielderr.Errors{}
		errs.AddLines(lineErrs)
		return errs.Err()
	}
	if lines == nil {
		lines = []Line{}
	}
	t := compute(lines, body.Language)
	return e.JSON(http.StatusOK, previewResponse{Lines: lines, Totals: totalsOf(t), VATBreakdown: t.BreakdownForAPI()})
}
