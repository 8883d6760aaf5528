package mail

import (
	"encoding/json"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// proposalTemplates are the emails about a proposal.
var proposalTemplates = map[string]bool{"proposal_sent": true, "proposal_signed": true, "proposal_declined": true}

// QueueProposalMail queues, in app's transaction, an email about a
// proposal with the idempotency key given:
//
//	"proposal_sent"      to the client, in the workspace's name, with the
//	                     public link publicLink, sealed in the outbox and
//	                     written into the email only when it is sent (the
//	                     link is the buyer's key to sign);
//	"proposal_signed"    to the user who created the proposal (else the
//	"proposal_declined"  workspace's email), linking to it in Kontor.
//
// A recipient without an email address gets none; that is not an error.
func (m *Mailer) QueueProposalMail(app core.App, proposal *core.Record, template, key, publicLink string) error {
	if !proposalTemplates[template] {
		return fmt.Errorf("mail: %q is not an email about a proposal", template)
	}
	workspace, err := app.FindRecordById("workspaces", proposal.GetString("workspace"))
	if err != nil {
		return err
	}
	client, _ := app.FindRecordById("clients", proposal.GetString("client"))
	var totals struct {
		Gross string `json:"gross"`
	}
	_ = json.Unmarshal([]byte(proposal.GetString("totals")), &totals)
	v := Values{
		Workspace: workspace.GetString("name"), Number: proposal.GetString("number"),
		Currency: proposal.GetString("currency"), Amount: totals.Gross, ValidUntil: proposal.GetString("valid_until"),
	}
	mail := Mail{Template: template, Key: key, Workspace: workspace, Values: v}
	if client != nil {
		mail.Values.Client = client.GetString("name")
	}

	if template == "proposal_sent" {
		if client == nil || client.GetString("email") == "" {
			return nil
		}
		mail.To = client.GetString("email")
		mail.Language = Language(proposal.GetString("language"), client.GetString("language"), workspace.GetString("language"))
		mail.Values.Name, mail.Values.ToClient = client.GetString("name"), true
		mail.SecretLink = publicLink
		mail.Summary = fmt.Sprintf("Proposal %s to %s", v.Number, mail.To)
		return m.Queue(app, mail)
	}

	mail.To, mail.Language = workspace.GetString("email"), workspace.GetString("language")
	if owner, err := app.FindRecordById("users", proposal.GetString("created_by")); err == nil && owner.Email() != "" {
		mail.To, mail.Language, mail.Values.Name = owner.Email(), Language(owner.GetString("language"), mail.Language), owner.GetString("name")
	}
	if mail.To == "" {
		return nil
	}
	mail.Language = Language(mail.Language)
	mail.Values.Link = m.cfg.PublicURL + "/#/proposals/" + proposal.Id
	if template == "proposal_signed" {
		mail.Values.Date = proposal.GetDateTime("signed_at").Time().UTC().Format("2006-01-02")
		if name := proposal.GetString("signer_name"); name != "" && mail.Values.Client != name {
			mail.Values.Client = name + " (" + mail.Values.Client + ")"
		}
	} else {
		mail.Values.Date = proposal.GetDateTime("declined_at").Time().UTC().Format("2006-01-02")
		mail.Values.Reason = proposal.GetString("decline_reason")
	}
	return m.Queue(app, mail)
}
