package security

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/kontor-app/kontor/secret"
)

// SealedField is where sealed values are kept: a text field of a
// collection, or, with JSONKey, a text key at the top of a JSON field.
type SealedField struct {
	Collection, Field, JSONKey string
}

// String names the field as collection.field[.key].
func (f SealedField) String() string {
	s := f.Collection + "." + f.Field
	if f.JSONKey != "" {
		s += "." + f.JSONKey
	}
	return s
}

// Rotated is what rotation did to one sealed field.
type Rotated struct {
	Field SealedField `json:"-"`
	Name  string      `json:"field"`
	// Resealed values were sealed under an older key (or the first
	// format) and are now under the newest; Current already were.
	Resealed int `json:"resealed"`
	Current  int `json:"current"`
}

// Rotate re-encrypts every sealed value of the fields under the box's
// newest key, in one transaction per collection, and reports counts per
// field. Values already under the newest key are left as they are, so
// running it again reseals nothing. A value that does not open (its key
// is not in the ring, or it was altered) stops the collection's
// transaction with an error that names the record, and nothing of that
// collection is changed. The rows are written directly, without record
// hooks: issued invoices stay untouched in every other way.
func Rotate(app core.App, box *secret.Box, fields []SealedField) ([]Rotated, error) {
	if box == nil {
		return nil, fmt.Errorf("no encryption key is configured")
	}
	var order []string
	byCollection := map[string][]SealedField{}
	for _, f := range fields {
		if _, ok := byCollection[f.Collection]; !ok {
			order = append(order, f.Collection)
		}
		byCollection[f.Collection] = append(byCollection[f.Collection], f)
	}
	var out []Rotated
	for _, name := range order {
		var done []Rotated
		err := app.RunInTransaction(func(tx core.App) error {
			done = nil
			for _, f := range byCollection[name] {
				r, err := rotateField(tx, box, f)
				if err != nil {
					return err
				}
				done = append(done, r)
			}
			return nil
		})
		if err != nil {
			return out, err
		}
		out = append(out, done...)
	}
	return out, nil
}

// rotateField reseals one field's values.
func rotateField(tx core.App, box *secret.Box, f SealedField) (Rotated, error) {
	r := Rotated{Field: f, Name: f.String()}
	col, err := tx.FindCollectionByNameOrId(f.Collection)
	if err != nil {
		return r, err
	}
	var rows []struct {
		ID    string `db:"id"`
		Value string `db:"value"`
	}
	if err := tx.DB().Select("id", "[["+f.Field+"]] AS value").From(col.Name).
		AndWhere(dbx.NewExp("[[" + f.Field + "]] != ''")).All(&rows); err != nil {
		return r, err
	}
	for _, row := range rows {
		sealed, obj, ok := row.Value, map[string]json.RawMessage(nil), true
		if f.JSONKey != "" {
			sealed, obj, ok = jsonSealed(row.Value, f.JSONKey)
		}
		if !ok || sealed == "" {
			continue
		}
		fresh, changed, err := box.Reseal(sealed)
		if err != nil {
			return r, fmt.Errorf("%s of record %s: %w", f, row.ID, err)
		}
		if !changed {
			r.Current++
			continue
		}
		value := fresh
		if obj != nil {
			raw, _ := json.Marshal(fresh)
			obj[f.JSONKey] = raw
			out, err := json.Marshal(obj)
			if err != nil {
				return r, err
			}
			value = string(out)
		}
		if _, err := tx.DB().Update(col.Name, dbx.Params{f.Field: value}, dbx.HashExp{"id": row.ID}).Execute(); err != nil {
			return r, err
		}
		r.Resealed++
	}
	return r, nil
}

// jsonSealed reads the text at key of a JSON object; ok is false when the
// value is not an object or the key holds no text.
func jsonSealed(raw, key string) (string, map[string]json.RawMessage, bool) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil || obj == nil {
		return "", nil, false
	}
	var s string
	if err := json.Unmarshal(obj[key], &s); err != nil {
		return "", nil, false
	}
	return s, obj, true
}

// RotateCommand is `kontor encryption rotate`: box returns the key ring of
// the configuration once the app is bootstrapped.
func RotateCommand(app core.App, box func() (*secret.Box, error), fields []SealedField) *cobra.Command {
	encryption := &cobra.Command{
		Use:   "encryption",
		Short: "Manages the encryption of sealed fields",
	}
	encryption.AddCommand(&cobra.Command{
		Use:   "rotate",
		Short: "Re-encrypts every sealed value under the newest key of KONTOR_ENCRYPTION_KEYS",
		Long: "Re-encrypts every sealed value (payment provider settings, invoice links, secret links of queued emails)\n" +
			"under the newest key of KONTOR_ENCRYPTION_KEYS, one transaction per collection, and prints how many\n" +
			"values of each field were resealed. Running it again reseals nothing. Keep the older keys in\n" +
			"KONTOR_ENCRYPTION_KEYS until it has run; afterwards they can be removed.",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := box()
			if err != nil {
				return err
			}
			done, err := Rotate(app, b, fields)
			printRotated(cmd.OutOrStdout(), b, done)
			if err != nil {
				return err
			}
			app.Logger().Info("Encryption keys rotated", "key", b.NewestID(), "fields", done)
			return nil
		},
	})
	return encryption
}

// printRotated writes the counts of a rotation.
func printRotated(w io.Writer, b *secret.Box, done []Rotated) {
	fmt.Fprintf(w, "Newest key: %s (ring: %s)\n", b.NewestID(), strings.Join(b.IDs(), ", "))
	for _, r := range done {
		fmt.Fprintf(w, "%-40s resealed %d, already current %d\n", r.Name, r.Resealed, r.Current)
	}
}

// rotateRoute is POST /api/kontor/security/encryption/rotate: a superuser
// runs the rotation from the dashboard's side, where no shell is at hand.
func (s *Security) rotateRoute(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in as an administrator to rotate the encryption keys.", nil)
	}
	if !e.HasSuperuserAuth() {
		return e.ForbiddenError("Only an administrator can rotate the encryption keys.", nil)
	}
	if s.cfg.Secrets == nil {
		return e.InternalServerError("No encryption key is configured; see KONTOR_ENCRYPTION_KEYS.", nil)
	}
	done, err := Rotate(e.App, s.cfg.Secrets, s.cfg.Sealed)
	if err != nil {
		return e.BadRequestError("The rotation stopped: "+err.Error()+" Nothing of that collection was changed; is every older key still in KONTOR_ENCRYPTION_KEYS?", nil)
	}
	e.App.Logger().Info("Encryption keys rotated", "key", s.cfg.Secrets.NewestID(), "fields", done)
	return e.JSON(http.StatusOK, map[string]any{"key": s.cfg.Secrets.NewestID(), "fields": done})
}
