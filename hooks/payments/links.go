package payments

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/secret"
)

// tokenBytes is the size of an invoice link's secret: 256 bits.
const tokenBytes = 32

// Links gives issued documents their public link and prints it.
type Links struct {
	secrets   *secret.Box
	publicURL string
}

// giveLink is bound to invoice updates: the save that issues a document
// gives it its public link.
func (l *Links) giveLink(e *core.RecordEvent) error {
	r := e.Record
	if r.Original().GetString("status") == "draft" && r.GetString("status") != "draft" && r.GetString("public_token_hash") == "" {
		if err := l.newToken(r); err != nil {
			return err
		}
	}
	return e.Next()
}

// newToken sets a new public link's hash and sealed secret on a document.
func (l *Links) newToken(r *core.Record) error {
	if l.secrets == nil {
		return errors.New("payments: no key seals the invoice's link")
	}
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	r.Set("public_token_hash", tokenHash(token))
	r.Set("public_token", l.secrets.Seal([]byte(token)))
	return nil
}

// URL returns the public link of an issued document, giving it one first
// when it was issued before links existed; "" for a draft or when the link
// cannot be read.
func (l *Links) URL(app core.App, invoice *core.Record) string {
	if l == nil || l.secrets == nil || invoice.GetString("status") == "draft" || invoice.GetString("status") == "" {
		return ""
	}
	if invoice.GetString("public_token") == "" {
		fresh, err := app.FindRecordById("invoices", invoice.Id)
		if err != nil {
			return ""
		}
		if fresh.GetString("public_token") == "" {
			if err := l.newToken(fresh); err != nil || app.Save(fresh) != nil {
				return ""
			}
		}
		invoice = fresh
	}
	token, err := l.secrets.Open(invoice.GetString("public_token"))
	if err != nil {
		return ""
	}
	return l.publicURL + "/i/" + string(token)
}

// tokenHash is how a link's secret is looked up: its SHA-256, in hex.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// findByToken returns the issued document of a link's secret, or nil.
func findByToken(app core.App, token string) *core.Record {
	if len(token) < 40 || len(token) > 64 {
		return nil
	}
	r, err := app.FindFirstRecordByData("invoices", "public_token_hash", tokenHash(token))
	if err != nil || r.GetString("status") == "draft" {
		return nil
	}
	return r
}
