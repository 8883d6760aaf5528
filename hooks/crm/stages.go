package crm

import (
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// The kinds of pipeline stage: a deal in an open stage is being worked on,
// in a won or lost stage it is closed.
const (
	KindOpen = "open"
	KindWon  = "won"
	KindLost = "lost"
)

// DefaultStages are the stages every workspace starts with, in order.
var DefaultStages = []struct {
	Name        string
	Probability int
	Kind        string
}{
	{"new", 10, KindOpen},
	{"qualified", 25, KindOpen},
	{"proposal", 50, KindOpen},
	{"negotiation", 75, KindOpen},
	{"won", 100, KindWon},
	{"lost", 0, KindLost},
}

// createDefaultStages gives a new workspace the default stages, in the
// transaction that creates it.
func createDefaultStages(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		collection, err := tx.FindCachedCollectionByNameOrId("pipeline_stages")
		if err != nil {
			return err
		}
		for i, s := range DefaultStages {
			r := core.NewRecord(collection)
			r.Set("workspace", e.Record.Id)
			r.Set("name", s.Name)
			r.Set("position", i)
			r.Set("probability", s.Probability)
			r.Set("kind", s.Kind)
			if err := tx.Save(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// saveStage checks a stage on every save, and keeps a won and a lost stage
// in the workspace when one changes kind.
func saveStage(e *core.RecordEvent) error {
	r := e.Record
	r.Set("name", strings.TrimSpace(r.GetString("name")))
	if r.GetString("kind") == "" {
		r.Set("kind", KindOpen)
	}
	if !r.IsNew() {
		was := r.Original().GetString("kind")
		if was != r.GetString("kind") && was != KindOpen {
			n, err := countStages(e.App, r.GetString("workspace"), was, r.Id)
			if err != nil {
				return err
			}
			if n == 0 {
				return fielderr.New("kind", "The workspace needs one "+was+" stage; this is its last.")
			}
		}
	}
	return e.Next()
}

// guardStageDelete refuses to delete a stage that still has deals, or the
// last won or lost stage of a workspace.
func guardStageDelete(e *core.RecordRequestEvent) error {
	r := e.Record
	var deals int
	if err := e.App.DB().NewQuery("SELECT COUNT(*) FROM deals WHERE stage = {:s}").Bind(dbx.Params{"s": r.Id}).Row(&deals); err != nil {
		return err
	}
	if deals > 0 {
		return apis.NewBadRequestError("The stage "+r.GetString("name")+" still has deals; move them to another stage first.", nil)
	}
	if kind := r.GetString("kind"); kind != KindOpen {
		n, err := countStages(e.App, r.GetString("workspace"), kind, r.Id)
		if err != nil {
			return err
		}
		if n == 0 {
			return apis.NewBadRequestError("The workspace needs one "+kind+" stage; "+r.GetString("name")+" is its last.", nil)
		}
	}
	return e.Next()
}

// countStages counts the stages of a kind in the workspace, leaving out
// the stage except.
func countStages(app core.App, workspace, kind, except string) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM pipeline_stages WHERE workspace = {:w} AND kind = {:k} AND id != {:x}").
		Bind(dbx.Params{"w": workspace, "k": kind, "x": except}).Row(&n)
	return n, err
}

// wonStage is the workspace's first won stage by position; nil when it has
// none.
func wonStage(app core.App, workspace string) *core.Record {
	stages, err := app.FindRecordsByFilter("pipeline_stages", "workspace = {:w} && kind = 'won'", "position,created", 1, 0,
		dbx.Params{"w": workspace})
	if err != nil || len(stages) == 0 {
		return nil
	}
	return stages[0]
}
