package crm_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	_ "github.com/kontor-app/kontor/pb_migrations"
)

// TestMigrationOfExistingWorkspaces applies the migrations before the
// CRM's, makes a workspace and a proposal with a free-text deal the way
// the older schema allowed, then applies the rest: the workspace gets the
// default stages and settings, and proposals.deal becomes a relation that
// keeps no value naming no deal.
func TestMigrationOfExistingWorkspaces(t *testing.T) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.ResetBootstrapState() })
	before := core.MigrationsList{}
	for _, m := range core.AppMigrations.Items() {
		if m.File < "1765152000" {
			before.Add(m)
		}
	}
	if _, err := core.NewMigrationsRunner(app, before).Up(); err != nil {
		t.Fatal(err)
	}
	workspaces, err := app.FindCollectionByNameOrId("workspaces")
	if err != nil {
		t.Fatal(err)
	}
	ws := core.NewRecord(workspaces)
	ws.Set("name", "Older GmbH")
	if err := app.Save(ws); err != nil {
		t.Fatal(err)
	}
	proposals, err := app.FindCollectionByNameOrId("proposals")
	if err != nil {
		t.Fatal(err)
	}
	p := core.NewRecord(proposals)
	p.Set("workspace", ws.Id)
	p.Set("deal", "nodealbythisid")
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}

	if _, err := core.NewMigrationsRunner(app, core.AppMigrations).Up(); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	if err := app.DB().NewQuery("SELECT kind FROM pipeline_stages WHERE workspace = {:w} ORDER BY position").
		Bind(map[string]any{"w": ws.Id}).Column(&kinds); err != nil {
		t.Fatal(err)
	}
	if len(kinds) != 6 || kinds[4] != "won" || kinds[5] != "lost" {
		t.Errorf("stages of the older workspace: %v", kinds)
	}
	ws, _ = app.FindRecordById("workspaces", ws.Id)
	if !ws.GetBool("deal_won_on_signature") || ws.GetInt("sequence_daily_limit") != 200 {
		t.Errorf("settings of the older workspace: %v %d", ws.GetBool("deal_won_on_signature"), ws.GetInt("sequence_daily_limit"))
	}
	proposals, _ = app.FindCollectionByNameOrId("proposals")
	if f, ok := proposals.Fields.GetByName("deal").(*core.RelationField); !ok || proposals.Fields.GetByName("deal_text") != nil {
		t.Errorf("proposals.deal is %T", proposals.Fields.GetByName("deal"))
	} else if deals, _ := app.FindCollectionByNameOrId("deals"); f.CollectionId != deals.Id {
		t.Errorf("proposals.deal points at %s", f.CollectionId)
	}
	p, _ = app.FindRecordById("proposals", p.Id)
	if p.GetString("deal") != "" {
		t.Errorf("a deal naming no deal was kept: %q", p.GetString("deal"))
	}
}
