package hooks

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/hooks/security"
	"github.com/kontor-app/kontor/secret"
)

// keyFile is where the generated encryption key is kept when no key is
// configured: in the data directory, which must be backed up with it.
const keyFile = "encryption.key"

// sealedFields are every field whose values are sealed with the key ring;
// `kontor encryption rotate` re-encrypts them. A capability that seals a
// new field adds it here.
var sealedFields = []security.SealedField{
	{Collection: "payment_accounts", Field: "sealed_settings"},       // payment providers' API keys (hooks/payments)
	{Collection: "invoices", Field: "public_token"},                  // the secret of an invoice's public link (hooks/payments)
	{Collection: "outbox", Field: "payload", JSONKey: "sealed_link"}, // secret links of queued emails (hooks/mail)
}

// keyRing builds the ring that seals Kontor's secrets, newest key first:
// the keys of KONTOR_ENCRYPTION_KEYS, then KONTOR_ENCRYPTION_KEY, then the
// key kept in the data directory. With no key configured, the data
// directory's key is generated on first start; with one configured, an
// existing key file only stays in the ring, so that what it sealed still
// opens until `kontor encryption rotate` has run.
func keyRing(app core.App, cfg Config) (*secret.Box, error) {
	keys := append([]secret.Key(nil), cfg.EncryptionKeys...)
	add := func(key []byte) {
		for _, k := range keys {
			if bytes.Equal(k.Secret, key) {
				return
			}
		}
		keys = append(keys, secret.Key{ID: secret.KeyID(key), Secret: key})
	}
	if cfg.EncryptionKey != nil {
		add(cfg.EncryptionKey)
	}
	path := filepath.Join(app.DataDir(), keyFile)
	if len(keys) == 0 {
		key, created, err := secret.LoadOrCreateKeyFile(path)
		if err != nil {
			return nil, fmt.Errorf("the encryption key cannot be read; set KONTOR_ENCRYPTION_KEYS: %w", err)
		}
		if created {
			app.Logger().Warn("secrets: no encryption key is configured (KONTOR_ENCRYPTION_KEYS); generated a key in the data directory (back it up with the data)", "file", path)
		}
		add(key)
	} else if key, err := secret.ReadKeyFile(path); err == nil {
		add(key)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return secret.NewRing(keys...)
}

// secrets returns the key ring, or nil when it cannot be built: what needs
// sealing then fails, and the log says why.
func secrets(app core.App, cfg Config) *secret.Box {
	box, err := keyRing(app, cfg)
	if err != nil {
		app.Logger().Error("secrets: the encryption keys cannot be used", "error", err)
		return nil
	}
	return box
}

// EncryptionCommand is `kontor encryption rotate` (security.RotateCommand)
// over the key ring of cfg and every sealed field; main adds it to the root
// command.
func EncryptionCommand(app core.App, cfg Config) *cobra.Command {
	return security.RotateCommand(app, func() (*secret.Box, error) { return keyRing(app, cfg) }, sealedFields)
}

// lockMail emails the owner of an account whose sign-ins from one IP were
// locked (security.Mailer), through the outbox.
type lockMail struct{ mailer *mail.Mailer }

// AccountLocked queues the account_locked email in the user's language.
func (l lockMail) AccountLocked(app core.App, user *core.Record, lock *core.Record) error {
	until := lock.GetDateTime("until").Time().UTC()
	return l.mailer.Queue(app, mail.Mail{
		Template: "account_locked", Key: "account_locked:" + lock.Id, To: user.Email(), Language: user.GetString("language"),
		Summary: "Sign-ins locked for " + user.Email(),
		Values: mail.Values{
			Name: user.GetString("name"),
			Info: lock.GetString("ip") + " · " + until.Format("2006-01-02 15:04") + " UTC",
			Date: until.Format(time.DateOnly),
		},
	})
}
