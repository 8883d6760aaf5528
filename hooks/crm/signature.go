package crm

import (
	"github.com/pocketbase/pocketbase/core"
)

// winOnSignature moves the deal of a proposal to the workspace's won stage
// when the proposal's "signed" event is appended and the workspace has
// deal_won_on_signature on, in the transaction that signs it. A deal
// already won or lost stays where it is.
func (c *crm) winOnSignature(e *core.RecordEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	if e.Record.GetString("type") != "signed" {
		return nil
	}
	proposal, err := e.App.FindRecordById("proposals", e.Record.GetString("proposal"))
	if err != nil || proposal.GetString("deal") == "" {
		return nil
	}
	workspace, err := e.App.FindRecordById("workspaces", proposal.GetString("workspace"))
	if err != nil || !workspace.GetBool("deal_won_on_signature") {
		return nil
	}
	deal, err := e.App.FindRecordById("deals", proposal.GetString("deal"))
	if err != nil || deal.GetString("status") != KindOpen {
		return nil
	}
	won := wonStage(e.App, workspace.Id)
	if won == nil {
		return nil
	}
	deal.Set("stage", won.Id)
	if deal.GetString("close_reason") == "" {
		reason := "Proposal " + proposal.GetString("number") + " signed"
		if who := e.Record.GetString("actor"); who != "" {
			reason += " by " + who
		}
		deal.Set("close_reason", truncate(reason+".", 500))
	}
	return e.App.Save(deal)
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
