package assistant

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// Card is a record a tool returned, shown in the chat as a link to it.
type Card struct {
	Collection string `json:"collection"`
	ID         string `json:"id"`
	Title      string `json:"title"`
	Subtitle   string `json:"subtitle,omitempty"`
	// Link is the record's page in the web UI, e.g. "#/deals/ID".
	Link string `json:"link"`
}

// toolContext is who asks and where: every tool reads and writes only the
// conversation's workspace, with the asking user's role in it.
type toolContext struct {
	e         *core.RequestEvent
	workspace string
	user      string
	role      access.Role
	now       time.Time
}

// toolOutput is what a tool returns: the result for the model, the cards
// for the user, and the records it read or wrote, by collection, for the
// access log.
type toolOutput struct {
	result  any
	cards   []Card
	records map[string][]string
}

// touched notes records of a collection that a tool read or wrote.
func (o *toolOutput) touched(collection string, ids ...string) {
	if o.records == nil {
		o.records = map[string][]string{}
	}
	o.records[collection] = append(o.records[collection], ids...)
}

// toolError is a failure the model is told about, in words a person
// understands; nothing of it comes from another workspace.
type toolError string

func (e toolError) Error() string { return string(e) }

// errCannotDraft is what a viewer's assistant gets from a drafting tool.
const errCannotDraft = toolError("Your role cannot draft: drafting proposals and emails needs the member role or above; viewers can only read.")

// tool is a tool the model may call.
type tool struct {
	def sdk.Tool
	// collection is the collection the tool is about, for the access log
	// when it touched no record.
	collection string
	// drafts is true for a tool that writes a draft: members and above only.
	drafts bool
	run    func(tc *toolContext, args json.RawMessage) (toolOutput, error)
}

// tools are the assistant's tools, by name.
var tools = map[string]tool{}

// addTool registers a tool.
func addTool(t tool) { tools[t.def.Name] = t }

// definitions are the tools offered to the model, by name.
func definitions() []sdk.Tool {
	out := make([]sdk.Tool, 0, len(tools))
	for _, t := range tools {
		out = append(out, t.def)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// runTool runs the model's call with the asking user's rights and logs it
// in the access log, whether it succeeded or not. A failure is a result
// marked as an error, telling the model why; an id of another workspace
// is "not found", as an id that does not exist.
func (a *assistant) runTool(tc *toolContext, call sdk.ToolCall) (sdk.ToolResult, []Card) {
	res := sdk.ToolResult{CallID: call.ID, Name: call.Name}
	t, ok := tools[call.Name]
	if !ok {
		res.IsError, res.Content = true, "There is no tool named \""+call.Name+"\"."
		return res, nil
	}
	var out toolOutput
	var err error
	if t.drafts && !tc.role.AtLeast(access.Member) {
		err = errCannotDraft
	} else {
		args := call.Arguments
		if len(bytes.TrimSpace(args)) == 0 || string(bytes.TrimSpace(args)) == "null" {
			args = json.RawMessage(`{}`)
		}
		out, err = t.run(tc, args)
	}
	if logErr := a.logTool(tc, t, out); logErr != nil && err == nil {
		// a read that cannot be logged is not answered
		out, err = toolOutput{}, logErr
	}
	var te toolError
	switch {
	case errors.As(err, &te):
		res.IsError, res.Content = true, te.Error()
		return res, nil
	case err != nil:
		tc.e.App.Logger().Error("Assistant: a tool failed", "tool", call.Name, "error", err.Error())
		res.IsError, res.Content = true, "The tool failed on the server; try again later."
		return res, nil
	}
	raw, err := json.Marshal(out.result)
	if err != nil {
		res.IsError, res.Content = true, "The tool failed on the server; try again later."
		return res, nil
	}
	res.Content = string(raw)
	return res, out.cards
}

// logTool writes the tool call to the access log: one entry per
// collection it touched, or one naming none.
func (a *assistant) logTool(tc *toolContext, t tool, out toolOutput) error {
	if len(out.records) == 0 {
		return a.logAccess(tc.e, ActionTool, t.collection, tc.workspace, nil)
	}
	names := make([]string, 0, len(out.records))
	for name := range out.records {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := a.logAccess(tc.e, ActionTool, name, tc.workspace, out.records[name]); err != nil {
			return err
		}
	}
	return nil
}

// find reads a record of the collection by the id the model gave, only in
// the conversation's workspace; any other is "not found".
func (tc *toolContext) find(collection, what, id string) (*core.Record, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, toolError("Give the " + what + "'s id.")
	}
	r, err := tc.e.App.FindFirstRecordByFilter(collection, "id = {:id} && workspace = {:w}", dbx.Params{"id": id, "w": tc.workspace})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, toolError("No " + what + " with id \"" + id + "\" exists in this workspace.")
	}
	return r, err
}

// nameOf is the display name of a record of the workspace ("" when there
// is none): a contact's full name, a client's or company's name.
func (tc *toolContext) nameOf(collection, id string) string {
	if id == "" {
		return ""
	}
	r, err := tc.e.App.FindFirstRecordByFilter(collection, "id = {:id} && workspace = {:w}", dbx.Params{"id": id, "w": tc.workspace})
	if err != nil {
		return ""
	}
	if collection == "contacts" {
		return contactName(r)
	}
	return r.GetString("name")
}

// contactName is a contact's full name, or its email when it has none.
func contactName(r *core.Record) string {
	name := strings.TrimSpace(r.GetString("first_name") + " " + r.GetString("last_name"))
	if name == "" {
		name = r.GetString("email")
	}
	return name
}

// decodeArgs reads the model's arguments into v.
func decodeArgs(args json.RawMessage, v any) error {
	if err := json.Unmarshal(args, v); err != nil {
		return toolError("The arguments do not match the tool's parameters: " + err.Error())
	}
	return nil
}

// clampLimit is a list's length: n between 1 and max, def when 0.
func clampLimit(n, def, max int) int {
	switch {
	case n <= 0:
		return def
	case n > max:
		return max
	}
	return n
}

// clip shortens text to n runes, marking the cut.
func clip(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return string(r[:n]) + "…"
}

// toolDef is a tool's definition for the model; params is the JSON
// Schema of its arguments.
func toolDef(name, description, params string) sdk.Tool {
	return sdk.Tool{Name: name, Description: description, Parameters: json.RawMessage(params)}
}
