package sequences

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// bindRules binds what holds for every save of a campaign, sequence or
// step, whoever saves it: a record stays in its workspace, and the
// records it names are of the same workspace; a sequence's window is a
// valid HH:MM range (09:00–17:00 when not given); a step's subject and
// body name only known placeholders.
func bindRules(app core.App) {
	app.OnRecordCreate("campaigns").BindFunc(checkCampaign)
	app.OnRecordUpdate("campaigns").BindFunc(checkCampaign)
	app.OnRecordCreate("sequences").BindFunc(checkSequence)
	app.OnRecordUpdate("sequences").BindFunc(checkSequence)
	app.OnRecordCreate("sequence_steps").BindFunc(checkStep)
	app.OnRecordUpdate("sequence_steps").BindFunc(checkStep)
}

// sameWorkspace adds an error for field when the record of collection it
// names is missing or of another workspace than r's.
func sameWorkspace(app core.App, errs fielderr.Errors, r *core.Record, field, collection, what string) *core.Record {
	id := r.GetString(field)
	if id == "" {
		return nil
	}
	other, err := app.FindRecordById(collection, id)
	if err != nil || other.GetString("workspace") != r.GetString("workspace") {
		errs.Add(field, "Choose "+what+" of this workspace.")
		return nil
	}
	return other
}

// stayInWorkspace adds an error when an update moves r to another
// workspace.
func stayInWorkspace(errs fielderr.Errors, r *core.Record) {
	if !r.IsNew() && r.Original().GetString("workspace") != r.GetString("workspace") {
		errs.Add("workspace", "A record cannot move to another workspace.")
	}
}

func checkCampaign(e *core.RecordEvent) error {
	errs := fielderr.Errors{}
	stayInWorkspace(errs, e.Record)
	e.Record.Set("name", strings.TrimSpace(e.Record.GetString("name")))
	if err := errs.Err(); err != nil {
		return err
	}
	return e.Next()
}

func checkSequence(e *core.RecordEvent) error {
	r := e.Record
	errs := fielderr.Errors{}
	stayInWorkspace(errs, r)
	sameWorkspace(e.App, errs, r, "campaign", "campaigns", "a campaign")
	r.Set("name", strings.TrimSpace(r.GetString("name")))
	if r.IsNew() {
		if r.GetString("window_start") == "" {
			r.Set("window_start", clock(DefaultWindow.Start))
		}
		if r.GetString("window_end") == "" {
			r.Set("window_end", clock(DefaultWindow.End))
		}
	}
	if _, err := ParseWindow(r.GetString("window_start"), r.GetString("window_end")); err != nil {
		field := "window_end"
		if _, err := parseClock(r.GetString("window_start")); err != nil && r.GetString("window_start") != "" {
			field = "window_start"
		}
		errs.Add(field, upperFirst(err.Error())+".")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return e.Next()
}

func checkStep(e *core.RecordEvent) error {
	r := e.Record
	errs := fielderr.Errors{}
	stayInWorkspace(errs, r)
	if r.GetString("sequence") != "" {
		sameWorkspace(e.App, errs, r, "sequence", "sequences", "a sequence")
	}
	if !r.IsNew() && r.Original().GetString("sequence") != r.GetString("sequence") {
		errs.Add("sequence", "A step cannot move to another sequence.")
	}
	for _, field := range []string{"subject", "body"} {
		if unknown := unknownPlaceholders(r.GetString(field)); len(unknown) > 0 {
			errs.Add(field, unknown[0]+" is not a placeholder; use {{first_name}}, {{last_name}}, {{company}} or {{sender}}.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return e.Next()
}

// upperFirst writes s with a capital first letter.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
