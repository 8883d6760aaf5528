package assistant

import (
	"encoding/json"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// maxHistory is how many of a conversation's latest messages go to the
// model.
const maxHistory = 60

// saveMessage stores a message of the conversation and touches it, so
// that the latest conversation comes first.
func saveMessage(app core.App, conversation *core.Record, m sdk.ChatMessage, cards []Card) (*core.Record, error) {
	col, err := app.FindCachedCollectionByNameOrId(Messages)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Set("conversation", conversation.Id)
	r.Set("role", m.Role)
	r.Set("text", m.Text)
	if len(m.ToolCalls) > 0 {
		r.Set("tool_calls", m.ToolCalls)
	}
	if len(m.ToolResults) > 0 {
		r.Set("tool_results", m.ToolResults)
	}
	if len(cards) > 0 {
		r.Set("cards", cards)
	}
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(r); err != nil {
			return err
		}
		return tx.Save(conversation)
	})
	return r, err
}

// history reads the conversation's latest messages for the model, oldest
// first, starting at a message of the user. The model's tool calls whose
// results were never stored (an answer cut short) are left out, as are
// empty messages, so that every provider accepts the history; it returns
// too the ids of the records the tools' cards showed, which go out with
// their results.
func history(app core.App, conversation string) ([]sdk.ChatMessage, []string, error) {
	var records []*core.Record
	err := app.RecordQuery(Messages).AndWhere(dbx.HashExp{"conversation": conversation}).
		OrderBy("created DESC", "rowid DESC").Limit(maxHistory).All(&records)
	if err != nil {
		return nil, nil, err
	}
	var out []sdk.ChatMessage
	var ids []string
	for i := len(records) - 1; i >= 0; i-- {
		r := records[i]
		m := sdk.ChatMessage{Role: r.GetString("role"), Text: r.GetString("text")}
		_ = json.Unmarshal([]byte(r.GetString("tool_calls")), &m.ToolCalls)
		_ = json.Unmarshal([]byte(r.GetString("tool_results")), &m.ToolResults)
		if m.Role == sdk.RoleTool {
			var cards []Card
			_ = json.Unmarshal([]byte(r.GetString("cards")), &cards)
			for _, c := range cards {
				ids = append(ids, c.ID)
			}
		}
		out = append(out, m)
	}
	for len(out) > 0 && out[0].Role != sdk.RoleUser {
		out = out[1:]
	}
	kept := out[:0]
	for i, m := range out {
		switch m.Role {
		case sdk.RoleAssistant:
			if len(m.ToolCalls) > 0 && (i+1 >= len(out) || out[i+1].Role != sdk.RoleTool) {
				m.ToolCalls = nil
			}
			if m.Text == "" && len(m.ToolCalls) == 0 {
				continue
			}
		case sdk.RoleTool:
			if len(kept) == 0 || kept[len(kept)-1].Role != sdk.RoleAssistant || len(kept[len(kept)-1].ToolCalls) == 0 || len(m.ToolResults) == 0 {
				continue
			}
		default:
			if m.Text == "" {
				continue
			}
		}
		kept = append(kept, m)
	}
	return kept, ids, nil
}
