package crm

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
)

// convertRoute is POST /api/kontor/contacts/{id}/convert: a lead becomes a
// client without retyping. The clients row is made from the contact and
// its company (or is the company's, when another of its contacts was
// converted before); the contact becomes a customer linked to it, and so
// does the company. Activities, deals and history stay on the contact. All
// in one transaction.
func convertRoute(e *core.RequestEvent) error {
	contact, err := access.RequireRecord(e, "contacts", access.Member)
	if err != nil {
		return err
	}
	var client *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		contact, err = tx.FindRecordById("contacts", contact.Id)
		if err != nil {
			return err
		}
		if contact.GetString("client") != "" {
			return apis.NewBadRequestError(displayName(contact)+" is already a client.", nil)
		}
		var company *core.Record
		if id := contact.GetString("company"); id != "" {
			company, _ = tx.FindRecordById("companies", id)
		}
		if company != nil && company.GetString("client") != "" {
			client, err = tx.FindRecordById("clients", company.GetString("client"))
			if err != nil {
				client = nil
			}
		}
		if client == nil {
			if client, err = newClient(tx, contact, company); err != nil {
				return err
			}
		}
		contact.Set("client", client.Id)
		contact.Set("status", StatusCustomer)
		if err := tx.Save(contact); err != nil {
			return err
		}
		if company != nil && company.GetString("client") != client.Id {
			company.Set("client", client.Id)
			return tx.Save(company)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := apis.EnrichRecords(e, []*core.Record{client, contact}); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"client": client, "contact": contact})
}

// newClient saves the clients row of a contact and its company: the
// company's name, address and VAT number when there is a company, else the
// contact's name; the contact's email and language.
func newClient(app core.App, contact, company *core.Record) (*core.Record, error) {
	collection, err := app.FindCachedCollectionByNameOrId("clients")
	if err != nil {
		return nil, err
	}
	client := core.NewRecord(collection)
	client.Set("workspace", contact.GetString("workspace"))
	client.Set("name", displayName(contact))
	client.Set("email", contact.GetString("email"))
	client.Set("country", contact.GetString("country"))
	client.Set("language", contact.GetString("language"))
	if company != nil {
		client.Set("name", company.GetString("name"))
		for _, f := range []string{"address_line", "city", "postal_code", "vat_id"} {
			client.Set(f, company.GetString(f))
		}
		if c := company.GetString("country"); c != "" {
			client.Set("country", c)
		}
	}
	if err := app.Save(client); err != nil {
		return nil, err
	}
	return client, nil
}

// displayName is a contact's full name.
func displayName(contact *core.Record) string {
	return strings.TrimSpace(contact.GetString("first_name") + " " + contact.GetString("last_name"))
}
