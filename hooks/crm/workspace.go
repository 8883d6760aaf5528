package crm

import (
	"github.com/pocketbase/pocketbase/core"
)

// DefaultSequenceDailyLimit is how many sequence emails a workspace sends a
// day when it says nothing else.
const DefaultSequenceDailyLimit = 200

// workspaceDefaults turns deal_won_on_signature on for a workspace created
// through the API unless the request says otherwise.
func workspaceDefaults(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	if _, sent := info.Body["deal_won_on_signature"]; !sent {
		e.Record.Set("deal_won_on_signature", true)
	}
	return e.Next()
}

// checkWorkspaceSettings gives a workspace without a sequence_daily_limit
// the default one, on every save.
func checkWorkspaceSettings(e *core.RecordEvent) error {
	if e.Record.GetInt("sequence_daily_limit") == 0 {
		e.Record.Set("sequence_daily_limit", DefaultSequenceDailyLimit)
	}
	return e.Next()
}
