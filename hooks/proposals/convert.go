package proposals

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/locale"
)

// convertRoute is POST /api/kontor/proposals/{id}/invoice: a signed
// proposal becomes a draft invoice with the lines the buyer signed for,
// once. The invoice, the proposal's link to it and the "converted" event
// are written in one transaction.
func (p *proposals) convertRoute(e *core.RequestEvent) error {
	proposal, err := access.RequireRecord(e, "proposals", access.Member)
	if err != nil {
		return err
	}
	ev := requestEvent(e, EventConverted)
	var invoice *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById("proposals", proposal.Id)
		if err != nil {
			return err
		}
		if r.GetString("status") != StatusSigned {
			return apis.NewBadRequestError("Only a signed proposal can be turned into an invoice.", nil)
		}
		if id := r.GetString("converted_invoice"); id != "" {
			return apis.NewApiError(http.StatusConflict, "Proposal "+r.GetString("number")+" was already turned into an invoice.",
				map[string]any{"invoice": id})
		}
		lines, _ := parseLines([]byte(r.GetString("lines")))
		var invoiced []en16931.Line
		for _, l := range lines {
			if l.Included {
				invoiced = append(invoiced, l.Line)
			}
		}
		collection, err := tx.FindCachedCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		invoice = core.NewRecord(collection)
		invoice.Set("workspace", r.GetString("workspace"))
		invoice.Set("client", r.GetString("client"))
		invoice.Set("deal", r.GetString("deal"))
		invoice.Set("currency", r.GetString("currency"))
		invoice.Set("language", r.GetString("language"))
		invoice.Set("lines", invoiced)
		// the buyer's purchase order reference (BT-13) is theirs to give;
		// the proposal is named in the notes
		invoice.Set("notes", signedNote(r))
		if err := tx.Save(invoice); err != nil {
			return err
		}
		r.Set("converted_invoice", invoice.Id)
		ev.Version, ev.DocumentHash = r.GetInt("version"), r.GetString("document_hash")
		ev.Details = map[string]any{"invoice": invoice.Id}
		if _, err := appendEvent(tx, r, ev, p.now()); err != nil {
			return err
		}
		return tx.Save(r)
	})
	if err != nil {
		return err
	}
	if err := apis.EnrichRecord(e, invoice); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, invoice)
}

// signedNotes say, in the invoice's language, which proposal an invoice
// comes from: its number, the day it was signed and the signer.
var signedNotes = map[string]string{
	"en": "Proposal {number}, signed on {date} by {signer}.",
	"es": "Presupuesto {number}, firmado el {date} por {signer}.",
	"de": "Angebot {number}, unterzeichnet am {date} von {signer}.",
	"fr": "Devis {number}, signé le {date} par {signer}.",
	"it": "Preventivo {number}, firmato il {date} da {signer}.",
}

// signedNote is the note of the invoice made from a signed proposal.
func signedNote(r *core.Record) string {
	lang := r.GetString("language")
	note, ok := signedNotes[lang]
	if !ok {
		note = signedNotes["en"]
	}
	day := r.GetDateTime("signed_at").Time().UTC().Format(dateLayout)
	return strings.NewReplacer("{number}", r.GetString("number"), "{date}", locale.Date(day, lang),
		"{signer}", r.GetString("signer_name")).Replace(note)
}
