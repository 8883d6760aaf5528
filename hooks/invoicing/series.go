package invoicing

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/numbering"
)

// defaultSeries are the series every new workspace starts with: one for
// invoices, one for credit notes and one for proposals (hooks/proposals).
var defaultSeries = []struct{ code, documentType string }{
	{"INV", DocumentInvoice},
	{"CN", DocumentCreditNote},
	{"QUO", "proposal"},
}

// createDefaultSeries gives a new workspace an invoice series and a
// credit-note series, in the transaction that creates the workspace.
func createDefaultSeries(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		collection, err := tx.FindCachedCollectionByNameOrId("series")
		if err != nil {
			return err
		}
		for _, s := range defaultSeries {
			r := core.NewRecord(collection)
			r.Set("workspace", e.Record.Id)
			r.Set("code", s.code)
			r.Set("document_type", s.documentType)
			r.Set("pattern", numbering.DefaultPattern)
			r.Set("yearly_reset", true)
			r.Set("default", true)
			if err := tx.Save(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// saveSeries checks a series, locks what numbering depends on once the series
// has issued a number, and keeps one default series per document type.
func saveSeries(e *core.RecordEvent) error {
	r := e.Record
	if msg := numbering.CheckPattern(r.GetString("pattern"), r.GetBool("yearly_reset")); msg != "" {
		return fielderr.New("pattern", msg)
	}
	if !r.IsNew() {
		used, err := seriesUsed(e.App, r.Id)
		if err != nil {
			return err
		}
		if used {
			for _, f := range []string{"code", "document_type", "pattern", "yearly_reset"} {
				if r.Get(f) != r.Original().Get(f) {
					return fielderr.New(f, "This series has issued numbers, so its code, type, pattern and yearly restart are fixed; create a new series instead.")
				}
			}
		}
	}
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		if !r.GetBool("default") {
			return nil
		}
		// one default per workspace and document type: this one
		_, err := tx.DB().NewQuery(`UPDATE series SET "default" = FALSE
			WHERE workspace = {:w} AND document_type = {:t} AND id != {:id} AND "default" = TRUE`).
			Bind(dbx.Params{"w": r.GetString("workspace"), "t": r.GetString("document_type"), "id": r.Id}).
			Execute()
		return err
	})
}

// deleteSeries refuses to delete a series that has numbered a document:
// its numbers must stay traceable. Drafts in it lose their series.
func deleteSeries(e *core.RecordEvent) error {
	used, err := seriesUsed(e.App, e.Record.Id)
	if err != nil {
		return err
	}
	if used {
		return apis.NewBadRequestError("This series has issued documents; it cannot be deleted.", nil)
	}
	return e.Next()
}

// seriesUsed reports whether a series has numbered a document.
func seriesUsed(app core.App, seriesID string) (bool, error) {
	var n int
	err := app.DB().NewQuery(`SELECT EXISTS(SELECT 1 FROM series_counters WHERE series = {:s})`).
		Bind(dbx.Params{"s": seriesID}).Row(&n)
	return n == 1, err
}

// defaultSeriesOf returns the workspace's default series for a document type.
func defaultSeriesOf(app core.App, workspaceID, documentType string) (*core.Record, error) {
	return app.FindFirstRecordByFilter("series",
		`workspace = {:w} && document_type = {:t} && default = true`,
		dbx.Params{"w": workspaceID, "t": documentType})
}
