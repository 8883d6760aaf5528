package reminders

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// DefaultReminderDays are the reminder levels a workspace starts with: 3,
// 10 and 20 days after the due date.
var DefaultReminderDays = []int{3, 10, 20}

// MaxLevels is how many reminder levels a workspace may have.
const MaxLevels = 5

// maxReminderDay is the latest a reminder may come after the due date.
const maxReminderDay = 365

// enableOnCreate turns reminders on for a workspace created through the API
// unless the request says otherwise.
func enableOnCreate(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	if _, sent := info.Body["reminders_enabled"]; !sent {
		e.Record.Set("reminders_enabled", true)
	}
	return e.Next()
}

// checkSettings fills a workspace's default reminder levels when it has
// none and checks its reminder settings, on every save.
func checkSettings(e *core.RecordEvent) error {
	r := e.Record
	errs := fielderr.Errors{}
	days, ok := parseReminderDays(r.GetString("reminder_days"))
	switch {
	case !ok:
		errs.Add("reminder_days", fmt.Sprintf("Give 1 to %d reminder days, whole numbers of days after the due date from 1 to %d, each later than the one before, like [3, 10, 20].", MaxLevels, maxReminderDay))
	case len(days) == 0:
		days = DefaultReminderDays
		r.Set("reminder_days", days)
	}
	if from := r.GetInt("late_payment_from_level"); ok && (from < 0 || from > len(days)) {
		errs.Add("late_payment_from_level", fmt.Sprintf("Late-payment interest and compensation start with one of the reminder levels, 1 to %d, or 0 for never.", len(days)))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return e.Next()
}

// parseReminderDays reads the reminder_days JSON of a workspace: nothing
// (no levels yet), or 1 to MaxLevels whole numbers of days from 1 to
// maxReminderDay, strictly increasing.
func parseReminderDays(raw string) ([]int, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" || raw == `""` {
		return nil, true
	}
	var values []any
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&values); err != nil {
		return nil, false
	}
	if len(values) > MaxLevels {
		return nil, false
	}
	days := make([]int, len(values))
	for i, v := range values {
		number, ok := v.(json.Number)
		if !ok {
			return nil, false
		}
		n, err := number.Int64()
		if err != nil || n < 1 || n > maxReminderDay || (i > 0 && int(n) <= days[i-1]) {
			return nil, false
		}
		days[i] = int(n)
	}
	return days, true
}

// reminderDays returns a workspace's reminder levels; a workspace saved
// before it had any has the default ones.
func reminderDays(workspace *core.Record) []int {
	days, ok := parseReminderDays(workspace.GetString("reminder_days"))
	if !ok || len(days) == 0 {
		return DefaultReminderDays
	}
	return days
}
