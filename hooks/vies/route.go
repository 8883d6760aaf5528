package vies

import (
	"context"
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// checkResponse is the answer of the route: what happened in words, the
// evidence kept and the client as it now is.
type checkResponse struct {
	Message string       `json:"message"`
	Check   *core.Record `json:"check"`
	Client  *core.Record `json:"client"`
}

// route is POST /api/kontor/clients/{id}/check-vat: checks the client's VAT
// number with VIES, for owners, admins and members of its workspace.
//
// An answer (valid or not) is kept and sets the client's status: 200. When
// VIES or the member state cannot answer now, the client is pending and the
// check is retried through the outbox: 202. A number VIES refuses as
// malformed is a 400, a check VIES refuses to make a 502; neither keeps
// anything or changes the client.
func (v *checker) route(e *core.RequestEvent) error {
	client, err := access.RequireRecord(e, "clients", access.Member)
	if err != nil {
		return err
	}
	if v.api == nil {
		return e.Error(http.StatusServiceUnavailable, "VAT numbers cannot be checked: VIES checks are turned off on this server (KONTOR_VIES_URL=off).", nil)
	}
	s, err := subjectOf(e.App, client)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(e.Request.Context(), Timeout)
	res, err := v.api.Check(ctx, s.request)
	cancel()

	var verr *Error
	switch {
	case err == nil:
		check, client, err := saveAnswer(e.App, s, res, v.now())
		if err != nil {
			return saveError(e, err)
		}
		message := "VIES confirms that " + s.vatID + " is a valid VAT number."
		if !res.Valid {
			message = "VIES answers that " + s.vatID + " is not a valid VAT number: it is not registered, or not for trade within the EU."
		}
		return respond(e, http.StatusOK, message, check, client)
	case errors.As(err, &verr) && verr.Retryable():
		check, client, err := saveUnavailable(e.App, s, verr, v.now())
		if err != nil {
			return saveError(e, err)
		}
		return respond(e, http.StatusAccepted, "VIES cannot check "+s.vatID+" at the moment ("+verr.Code()+
			"). Kontor checks again automatically and updates the client once VIES answers.", check, client)
	case errors.As(err, &verr):
		return refusal(s, verr)
	}
	return e.InternalServerError("", err)
}

// refusal is the error that tells a person why VIES refused a check.
func refusal(s subject, verr *Error) error {
	for _, code := range verr.Codes {
		switch code {
		case "INVALID_INPUT":
			return fielderr.New("vat_id", "VIES does not accept "+s.vatID+" as a VAT number (INVALID_INPUT); check the country prefix and the digits.")
		case "INVALID_REQUESTER_INFO":
			return apis.NewBadRequestError("VIES does not accept the workspace's VAT number "+s.requester+
				" as the requester's (INVALID_REQUESTER_INFO); correct it in the workspace's settings.", nil)
		case "VAT_BLOCKED":
			return apis.NewApiError(http.StatusBadGateway, "VIES does not check "+s.vatID+" (VAT_BLOCKED).", nil)
		case "IP_BLOCKED":
			return apis.NewApiError(http.StatusBadGateway, "VIES refuses checks from this server's address (IP_BLOCKED); the operator has to contact VIES.", nil)
		}
	}
	return apis.NewApiError(http.StatusBadGateway, "VIES refused the check: "+verr.Error(), nil)
}

// saveError is the answer when keeping a check failed.
func saveError(e *core.RequestEvent, err error) error {
	switch {
	case errors.Is(err, errStale):
		return e.Error(http.StatusConflict, "The client's VAT number changed while it was being checked; check it again.", nil)
	case errors.Is(err, errGone):
		return e.NotFoundError("", nil)
	}
	return e.InternalServerError("", err)
}

func respond(e *core.RequestEvent, status int, message string, check, client *core.Record) error {
	if err := apis.EnrichRecords(e, []*core.Record{check, client}); err != nil {
		return err
	}
	return e.JSON(status, checkResponse{Message: message, Check: check, Client: client})
}
