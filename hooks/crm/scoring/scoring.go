// Package scoring scores a workspace's contacts, 0–100, as the chance
// their deal is won, and explains every score: which signals moved it and
// by how many points, from a baseline contact, adding up exactly. It
// needs no outside service.
//
// A workspace starts on the rules (Rules: fit by country, company size
// and role; engagement by proposal opens, replies and meetings, weighed
// by hand). Once it has MinDeals won or lost deals with a contact, a
// logistic regression trained on them (Train) replaces the rules; it is
// trained again whenever a deal is won or lost, and kept in
// scoring_models.
//
// A contact's score (contacts.score, score_model, score_explanation) is
// computed on every save of the contact, and the contact is saved again
// when something it weighs changes: an activity, a proposal event of one
// of its deals, an enrolment's status, a deal.
//
// Route:
//
//	GET /api/kontor/contacts/{id}/score   the contact's score and explanation, recomputed
package scoring

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// Register binds the score of contacts, the events that recompute it,
// the training of a workspace's regression and the score route.
func Register(app core.App) {
	app.OnRecordCreate("contacts").BindFunc(scoreContact)
	app.OnRecordUpdate("contacts").BindFunc(scoreContact)

	for _, c := range []string{"activities", "sequence_enrollments"} {
		app.OnRecordCreate(c).BindFunc(rescoreAfter(c))
		app.OnRecordUpdate(c).BindFunc(rescoreAfter(c))
		app.OnRecordDelete(c).BindFunc(rescoreAfter(c))
	}
	app.OnRecordCreate("proposal_events").BindFunc(rescoreAfterProposalEvent)
	app.OnRecordCreate("deals").BindFunc(afterDeal)
	app.OnRecordUpdate("deals").BindFunc(afterDeal)
	app.OnRecordDelete("deals").BindFunc(afterDeal)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/kontor/contacts/{id}/score", scoreRoute)
		return se.Next()
	})
}

// ModelOf is the model that scores the workspace's contacts: its trained
// regression when it has one, else the rules.
func ModelOf(app core.App, workspace string) Model {
	r, err := app.FindFirstRecordByData("scoring_models", "workspace", workspace)
	if err != nil {
		return Rules
	}
	var m Model
	if json.Unmarshal([]byte(r.GetString("model")), &m) != nil || len(m.Weights) != len(Signals) || len(m.Baseline) != len(Signals) {
		return Rules
	}
	m.Kind = KindRegression
	return m
}

// Score computes the contact's score and explanation as it is now
// (saved or not) with the workspace's model.
func Score(app core.App, contact *core.Record) (Explanation, error) {
	f, err := FeaturesOf(app, contact)
	if err != nil {
		return Explanation{}, err
	}
	return ModelOf(app, contact.GetString("workspace")).Explain(f.Vector()), nil
}

// scoreContact is bound to every save of a contact: it writes the score,
// its model and explanation into the record before it is saved.
func scoreContact(e *core.RecordEvent) error {
	exp, err := Score(e.App, e.Record)
	if err != nil {
		e.App.Logger().Warn("scoring: the score was not updated", "contact", e.Record.Id, "error", err)
		return e.Next()
	}
	e.Record.Set("score", exp.Score)
	e.Record.Set("score_model", exp.Model)
	e.Record.Set("score_explanation", exp)
	return e.Next()
}

// rescore saves the contacts again, in app's transaction, so their
// score follows what changed; a contact that is gone is skipped. A
// failure is logged, not returned: the change that caused it stands.
func rescore(app core.App, contacts ...string) {
	seen := map[string]bool{}
	for _, id := range contacts {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		c, err := app.FindRecordById("contacts", id)
		if err != nil {
			continue
		}
		if err := app.Save(c); err != nil {
			app.Logger().Warn("scoring: the score was not updated", "contact", id, "error", err)
		}
	}
}

// rescoreAfter recomputes, after a save or delete of a record of the
// collection, the score of its contact (before and after).
func rescoreAfter(collection string) func(e *core.RecordEvent) error {
	return func(e *core.RecordEvent) error {
		before, unchanged := "", false
		if !e.Record.IsNew() {
			before = e.Record.Original().GetString("contact")
			// an enrolment weighs only by its status: a send changes
			// nothing that is scored
			unchanged = collection == "sequence_enrollments" && e.Type == core.ModelEventTypeUpdate &&
				e.Record.Original().GetString("status") == e.Record.GetString("status") && before == e.Record.GetString("contact")
		}
		if err := e.Next(); err != nil {
			return err
		}
		if !unchanged {
			rescore(e.App, e.Record.GetString("contact"), before)
		}
		return nil
	}
}

// rescoreAfterProposalEvent recomputes the score of the contact of the
// deal of the proposal of a new event (an open, a signature).
func rescoreAfterProposalEvent(e *core.RecordEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	var contact string
	_ = e.App.DB().NewQuery(`SELECT d.contact FROM proposals p JOIN deals d ON d.id = p.deal WHERE p.id = {:p}`).
		Bind(dbx.Params{"p": e.Record.GetString("proposal")}).Row(&contact)
	rescore(e.App, contact)
	return nil
}

// afterDeal trains the workspace's regression again when a deal is won,
// lost, reopened or deleted after closing, then recomputes its
// contact's score.
func afterDeal(e *core.RecordEvent) error {
	closed := func(s string) bool { return s == "won" || s == "lost" }
	before, beforeContact := "", ""
	if !e.Record.IsNew() {
		before, beforeContact = e.Record.Original().GetString("status"), e.Record.Original().GetString("contact")
	}
	deleting := e.Type == core.ModelEventTypeDelete
	if err := e.Next(); err != nil {
		return err
	}
	status := e.Record.GetString("status")
	if closed(before) || closed(status) {
		if status != before || deleting || beforeContact != e.Record.GetString("contact") {
			if err := Retrain(e.App, e.Record.GetString("workspace")); err != nil {
				e.App.Logger().Warn("scoring: the regression was not trained", "workspace", e.Record.GetString("workspace"), "error", err)
			}
		}
	}
	rescore(e.App, e.Record.GetString("contact"), beforeContact)
	return nil
}

// maxTrainingDeals is how many of a workspace's latest closed deals the
// regression learns from.
const maxTrainingDeals = 5000

// Retrain trains the workspace's regression on its won and lost deals
// with a contact (the latest maxTrainingDeals), each contact's features
// as they are now, and keeps it in scoring_models. With fewer than
// MinDeals, or none won or none lost, the workspace has no regression
// and its contacts are scored by the rules.
func Retrain(app core.App, workspace string) error {
	var deals []struct {
		Contact string `db:"contact"`
		Status  string `db:"status"`
	}
	err := app.DB().NewQuery(`SELECT contact, status FROM deals WHERE workspace = {:w} AND status IN ('won', 'lost') AND contact != ''
		ORDER BY updated DESC LIMIT {:n}`).Bind(dbx.Params{"w": workspace, "n": maxTrainingDeals}).All(&deals)
	if err != nil {
		return err
	}
	existing, _ := app.FindFirstRecordByData("scoring_models", "workspace", workspace)
	won := 0
	for _, d := range deals {
		if d.Status == "won" {
			won++
		}
	}
	if len(deals) < MinDeals || won == 0 || won == len(deals) {
		if existing != nil {
			return app.Delete(existing)
		}
		return nil
	}
	X, y := make([][]float64, 0, len(deals)), make([]float64, 0, len(deals))
	for _, d := range deals {
		c, err := app.FindRecordById("contacts", d.Contact)
		if err != nil {
			continue
		}
		f, err := FeaturesOf(app, c)
		if err != nil {
			return err
		}
		X = append(X, f.Vector())
		if d.Status == "won" {
			y = append(y, 1)
		} else {
			y = append(y, 0)
		}
	}
	m := Train(X, y)
	if existing == nil {
		existing = core.NewRecord(mustCollection(app))
		existing.Set("workspace", workspace)
	}
	existing.Set("model", m)
	existing.Set("samples", m.Samples)
	existing.Set("trained_at", nowUTC())
	return app.Save(existing)
}

func mustCollection(app core.App) *core.Collection {
	c, err := app.FindCachedCollectionByNameOrId("scoring_models")
	if err != nil {
		panic("scoring: " + err.Error())
	}
	return c
}

// scoreRoute is GET /api/kontor/contacts/{id}/score, for any member: the
// contact's score recomputed (and saved), with its explanation.
func scoreRoute(e *core.RequestEvent) error {
	contact, err := access.RequireRecord(e, "contacts", access.Viewer)
	if err != nil {
		return err
	}
	var exp Explanation
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("contacts", contact.Id)
		if err != nil {
			return err
		}
		if err := tx.Save(fresh); err != nil {
			return err
		}
		return json.Unmarshal([]byte(fresh.GetString("score_explanation")), &exp)
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"contact": contact.Id, "score": exp.Score, "model": exp.Model, "explanation": exp})
}

// nowUTC is the time of a training.
func nowUTC() time.Time { return time.Now().UTC() }
