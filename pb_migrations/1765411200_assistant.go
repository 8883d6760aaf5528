package pb_migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The assistant (hooks/assistant):
//   - assistant_accounts: a workspace's account at an LLM provider (one
//     per workspace), managed by its owners and admins; the API key is
//     sealed in a hidden field and shown only masked;
//   - assistant_conversations: a user's chats in a workspace, readable and
//     deletable by that user only, written by the server;
//   - assistant_messages: the messages of a conversation (the user's, the
//     model's with its tool calls, and the tools' results with their
//     cards), readable by the conversation's user, deleted with it;
//   - email_drafts: follow-up emails the assistant drafted; never sent,
//     read by members, edited and deleted by members and above;
//   - access_log.action gains assistant_tool (a tool read or wrote
//     records) and assistant_sent (data went to the LLM provider).
func init() {
	m.Register(func(app core.App) error {
		workspaces, err := app.FindCollectionByNameOrId("workspaces")
		if err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		contacts, err := app.FindCollectionByNameOrId("contacts")
		if err != nil {
			return err
		}
		deals, err := app.FindCollectionByNameOrId("deals")
		if err != nil {
			return err
		}

		accounts := core.NewBaseCollection("assistant_accounts")
		accounts.Fields.Add(
			workspaceRelation(workspaces),
			&core.TextField{Name: "provider", Required: true, Max: 64, Pattern: `^[a-z0-9][a-z0-9-]*$`, Presentable: true},
			&core.TextField{Name: "model", Max: 100},
			&core.BoolField{Name: "enabled"},
			&core.TextField{Name: "sealed_settings", Max: 20000, Hidden: true},
			&core.JSONField{Name: "settings_hint", MaxSize: 4096},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		accounts.AddIndex("idx_assistant_accounts_workspace", true, "workspace", "")
		accounts.ListRule = types.Pointer(ruleAdmin)
		accounts.ViewRule = types.Pointer(ruleAdmin)
		accounts.CreateRule = types.Pointer(ruleAdmin)
		accounts.UpdateRule = types.Pointer(ruleAdmin + ` && @request.body.workspace:changed = false`)
		accounts.DeleteRule = types.Pointer(ruleAdmin)
		if err := app.Save(accounts); err != nil {
			return err
		}

		conversations := core.NewBaseCollection("assistant_conversations")
		conversations.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "user", CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "title", Max: 200, Presentable: true},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		conversations.AddIndex("idx_assistant_conversations_user", false, "user, workspace, updated", "")
		ownUser := signedIn + ` && user = @request.auth.id && workspace.memberships_via_workspace.user ?= @request.auth.id`
		conversations.ListRule = types.Pointer(ownUser)
		conversations.ViewRule = types.Pointer(ownUser)
		conversations.DeleteRule = types.Pointer(ownUser)
		if err := app.Save(conversations); err != nil {
			return err
		}

		messages := core.NewBaseCollection("assistant_messages")
		messages.Fields.Add(
			&core.RelationField{Name: "conversation", CollectionId: conversations.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "role", Required: true, MaxSelect: 1, Values: []string{"user", "assistant", "tool"}},
			&core.TextField{Name: "text", Max: 100000},
			&core.JSONField{Name: "tool_calls", MaxSize: 1 << 20},
			&core.JSONField{Name: "tool_results", MaxSize: 4 << 20},
			&core.JSONField{Name: "cards", MaxSize: 1 << 20},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		messages.AddIndex("idx_assistant_messages_conversation", false, "conversation, created", "")
		ownConversation := signedIn + ` && conversation.user = @request.auth.id`
		messages.ListRule = types.Pointer(ownConversation)
		messages.ViewRule = types.Pointer(ownConversation)
		if err := app.Save(messages); err != nil {
			return err
		}

		drafts := core.NewBaseCollection("email_drafts")
		drafts.Fields.Add(
			workspaceRelation(workspaces),
			&core.RelationField{Name: "contact", CollectionId: contacts.Id, MaxSelect: 1, CascadeDelete: true},
			&core.RelationField{Name: "deal", CollectionId: deals.Id, MaxSelect: 1, CascadeDelete: true},
			&core.EmailField{Name: "to"},
			&core.TextField{Name: "subject", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "body", Required: true, Max: 10000},
			&core.RelationField{Name: "author", CollectionId: users.Id, MaxSelect: 1},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		drafts.AddIndex("idx_email_drafts_workspace", false, "workspace, created", "")
		drafts.ListRule = types.Pointer(ruleMember)
		drafts.ViewRule = types.Pointer(ruleMember)
		drafts.UpdateRule = types.Pointer(ruleWriter + ` && @request.body.workspace:changed = false`)
		drafts.DeleteRule = types.Pointer(ruleWriter)
		if err := app.Save(drafts); err != nil {
			return err
		}

		return setAssistantLogActions(app, func(values []string) []string {
			for _, v := range []string{"assistant_tool", "assistant_sent"} {
				if !slices.Contains(values, v) {
					values = append(values, v)
				}
			}
			return values
		})
	}, func(app core.App) error {
		if _, err := app.DB().NewQuery("DELETE FROM access_log WHERE action IN ('assistant_tool', 'assistant_sent')").Execute(); err != nil {
			return err
		}
		if err := setAssistantLogActions(app, func(values []string) []string {
			return slices.DeleteFunc(values, func(v string) bool { return v == "assistant_tool" || v == "assistant_sent" })
		}); err != nil {
			return err
		}
		if err := deleteCollections(app, "email_drafts", "assistant_messages", "assistant_conversations", "assistant_accounts"); err != nil {
			return err
		}
		return nil
	})
}

// setAssistantLogActions changes the values of access_log.action.
func setAssistantLogActions(app core.App, change func([]string) []string) error {
	log, err := app.FindCollectionByNameOrId("access_log")
	if err != nil {
		return err
	}
	action, ok := log.Fields.GetByName("action").(*core.SelectField)
	if !ok {
		return nil
	}
	action.Values = change(slices.Clone(action.Values))
	return app.Save(log)
}
