package sequences

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// Counts are a sequence's or a campaign's numbers: enrolments in all and
// by status, and emails sent.
type Counts struct {
	Enrolled     int `json:"enrolled"`
	Active       int `json:"active"`
	Sent         int `json:"sent"`
	Replied      int `json:"replied"`
	Unsubscribed int `json:"unsubscribed"`
	Won          int `json:"won"`
	Completed    int `json:"completed"`
	Stopped      int `json:"stopped"`
}

// add adds n enrolments of the status.
func (c *Counts) add(status string, n int) {
	c.Enrolled += n
	switch status {
	case StatusActive:
		c.Active += n
	case StatusReplied:
		c.Replied += n
	case StatusUnsubscribed:
		c.Unsubscribed += n
	case StatusWon:
		c.Won += n
	case StatusCompleted:
		c.Completed += n
	case StatusStopped:
		c.Stopped += n
	}
}

// plus is the sum of two counts.
func (c Counts) plus(o Counts) Counts {
	return Counts{c.Enrolled + o.Enrolled, c.Active + o.Active, c.Sent + o.Sent, c.Replied + o.Replied,
		c.Unsubscribed + o.Unsubscribed, c.Won + o.Won, c.Completed + o.Completed, c.Stopped + o.Stopped}
}

// SequenceCounts are one sequence's counts in a campaign's stats.
type SequenceCounts struct {
	Sequence string `json:"sequence"`
	Name     string `json:"name"`
	Counts
}

// CampaignStats reads the counts of the campaign's sequences and their
// sum.
func CampaignStats(app core.App, campaign string) (Counts, []SequenceCounts, error) {
	seqs, err := app.FindRecordsByFilter("sequences", "campaign = {:c}", "name,created", 0, 0, dbx.Params{"c": campaign})
	if err != nil {
		return Counts{}, nil, err
	}
	var total Counts
	out := make([]SequenceCounts, 0, len(seqs))
	for _, s := range seqs {
		sc := SequenceCounts{Sequence: s.Id, Name: s.GetString("name")}
		var rows []struct {
			Status string `db:"status"`
			N      int    `db:"n"`
		}
		if err := app.DB().NewQuery(`SELECT status, COUNT(*) AS n FROM sequence_enrollments WHERE sequence = {:s} GROUP BY status`).
			Bind(dbx.Params{"s": s.Id}).All(&rows); err != nil {
			return Counts{}, nil, err
		}
		for _, r := range rows {
			sc.add(r.Status, r.N)
		}
		if err := app.DB().NewQuery(`SELECT COUNT(*) FROM sequence_sends WHERE sequence = {:s}`).
			Bind(dbx.Params{"s": s.Id}).Row(&sc.Sent); err != nil {
			return Counts{}, nil, err
		}
		total = total.plus(sc.Counts)
		out = append(out, sc)
	}
	return total, out, nil
}

// statsRoute is GET /api/kontor/campaigns/{id}/stats, for any member: the
// campaign's counts and each of its sequences'.
func statsRoute(e *core.RequestEvent) error {
	campaign, err := access.RequireRecord(e, "campaigns", access.Viewer)
	if err != nil {
		return err
	}
	total, seqs, err := CampaignStats(e.App, campaign.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, struct {
		Campaign string `json:"campaign"`
		Counts
		Sequences []SequenceCounts `json:"sequences"`
	}{campaign.Id, total, seqs})
}
