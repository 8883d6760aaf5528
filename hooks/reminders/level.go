package reminders

import "time"

// SendFrom is the time of day (UTC) from which a reminder goes out on its
// day, so that clients are not emailed in the middle of the night.
const SendFrom = 8 * time.Hour

// levelDue returns the highest reminder level whose day has come at now,
// or 0 for none: level n is due from SendFrom on the day days[n-1] days
// after the due date, in UTC. Only this one level is sent, however many
// were missed, so a server that was down for weeks sends one reminder per
// invoice, not one per missed level.
func levelDue(dueDate time.Time, days []int, now time.Time) int {
	level := 0
	for i, d := range days {
		if now.Before(dueDate.AddDate(0, 0, d).Add(SendFrom)) {
			break
		}
		level = i + 1
	}
	return level
}
