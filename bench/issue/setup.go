package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
)

// plainCollection is the base collection without Kontor hooks that the
// create phases write to.
const plainCollection = "bench_plain"

// userPassword is the password of the users the tool signs up.
const userPassword = "bench-password-123"

// workspace is one workspace with its owner, client and invoice series.
type workspace struct {
	id     string
	token  string // the owner's
	client string
	series [2]series // the default INV, and B
}

// series is one invoice series.
type series struct {
	id, code string
}

// draft is one draft invoice to issue.
type draft struct {
	id        string
	workspace int // index into env.workspaces
	series    int // index into workspace.series
	issued    atomic.Bool
}

// env is the data the phases work on.
type env struct {
	workspaces [2]workspace
	drafts     []draft
}

// setup prepares, through the public API and untimed: the plain collection
// (as superuser), two users with one workspace each, a second invoice series
// and a client per workspace, and n drafts spread evenly over the 2×2 series.
func setup(ctx context.Context, a *api, cfg config) (*env, error) {
	if err := ensurePlainCollection(ctx, a, cfg.suEmail, cfg.suPassword); err != nil {
		return nil, err
	}
	e := &env{drafts: make([]draft, cfg.n)}
	run := randomHex(4)
	for k := range e.workspaces {
		w, err := newWorkspace(ctx, a, fmt.Sprintf("bench-%s-%d@example.com", run, k))
		if err != nil {
			return nil, err
		}
		e.workspaces[k] = w
	}
	for i := range e.drafts {
		e.drafts[i].workspace = i % 2
		e.drafts[i].series = (i / 2) % 2
	}
	r := runPhase(ctx, "drafts", cfg.n, cfg.c, e.createDraft(a), selfOnly)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.Errors > 0 {
		return nil, fmt.Errorf("%d of %d drafts failed, first: %v", r.Errors, cfg.n, r.FirstErrors)
	}
	return e, nil
}

// ensurePlainCollection signs in as superuser and creates the plain
// collection unless it exists, open to anyone for create.
func ensurePlainCollection(ctx context.Context, a *api, email, password string) error {
	token, err := a.signIn(ctx, "_superusers", email, password)
	if err != nil {
		return fmt.Errorf("superuser sign-in: %w", err)
	}
	a.suToken = token
	err = a.do(ctx, token, http.MethodGet, "/api/collections/"+plainCollection, nil, nil)
	var se *statusError
	if !errors.As(err, &se) || se.status != http.StatusNotFound {
		return err // nil: it exists
	}
	return a.do(ctx, token, http.MethodPost, "/api/collections", map[string]any{
		"name": plainCollection,
		"type": "base",
		"fields": []map[string]any{
			{"name": "title", "type": "text"},
			{"name": "amount", "type": "text"},
		},
		"createRule": "",
	}, nil)
}

// newWorkspace signs up a user, who creates a workspace (which brings the
// default series INV and CN), a second invoice series B and a client.
func newWorkspace(ctx context.Context, a *api, email string) (workspace, error) {
	var w workspace
	_, err := a.create(ctx, "", "users", map[string]any{
		"email": email, "password": userPassword, "passwordConfirm": userPassword, "name": email, "language": "en",
	})
	if err != nil {
		return w, err
	}
	if w.token, err = a.signIn(ctx, "users", email, userPassword); err != nil {
		return w, err
	}
	w.id, err = a.create(ctx, w.token, "workspaces", map[string]any{
		"name": "Bench GmbH", "address_line": "Hauptstraße 1", "city": "Berlin", "postal_code": "10115",
		"country": "DE", "vat_id": "DE123456789", "iban": "DE89370400440532013000", "email": "billing@example.com",
	})
	if err != nil {
		return w, err
	}
	inv, err := a.list(ctx, w.token, "series", fmt.Sprintf("workspace='%s' && code='INV'", w.id), 1, 1, "id")
	if err != nil {
		return w, err
	}
	if len(inv) != 1 {
		return w, errors.New("the new workspace has no INV series")
	}
	w.series[0] = series{id: inv[0].ID, code: "INV"}
	w.series[1].code = "B"
	w.series[1].id, err = a.create(ctx, w.token, "series", map[string]any{
		"workspace": w.id, "code": "B", "document_type": "invoice", "pattern": "B{yy}-{seq:5}", "yearly_reset": true,
	})
	if err != nil {
		return w, err
	}
	w.client, err = a.create(ctx, w.token, "clients", map[string]any{
		"workspace": w.id, "name": "Acme SL", "country": "ES", "vat_id": "ESB12345678",
		"address_line": "Calle Mayor 5", "city": "Madrid", "postal_code": "28013",
	})
	return w, err
}

// createDraft is the operation that creates draft i; the default series is
// left out so that the server picks it.
func (e *env) createDraft(a *api) func(context.Context, int) error {
	return func(ctx context.Context, i int) error {
		d := &e.drafts[i]
		w := &e.workspaces[d.workspace]
		body := map[string]any{
			"workspace": w.id,
			"client":    w.client,
			"lines": []map[string]any{{
				"description": "Consulting", "quantity": "3", "unit_price": "99.95", "vat_category": "S", "vat_rate": "19",
			}},
		}
		if d.series == 1 {
			body["series"] = w.series[1].id
		}
		id, err := a.create(ctx, w.token, "invoices", body)
		d.id = id
		return err
	}
}

// issue is the operation that issues draft i as its workspace's owner.
func (e *env) issue(a *api) func(context.Context, int) error {
	return func(ctx context.Context, i int) error {
		d := &e.drafts[i]
		var r record
		err := a.do(ctx, e.workspaces[d.workspace].token, http.MethodPost, "/api/kontor/invoices/"+d.id+"/issue", nil, &r)
		if err != nil {
			return err
		}
		if r.Status != "issued" || r.Number == "" {
			return fmt.Errorf("issue %s: answer has status %q, number %q", d.id, r.Status, r.Number)
		}
		d.issued.Store(true)
		return nil
	}
}

// createPlain is the operation that creates plain record i, as a signed-in
// user like the issue phase.
func (e *env) createPlain(a *api) func(context.Context, int) error {
	return func(ctx context.Context, i int) error {
		_, err := a.create(ctx, e.workspaces[i%2].token, plainCollection, map[string]any{
			"title": fmt.Sprintf("Plain record %d", i), "amount": "99.95",
		})
		return err
	}
}
