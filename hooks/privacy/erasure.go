package privacy

import (
	"errors"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// ErasedName is the name of an anonymised account.
const ErasedName = "Deleted user"

// ErasedEmail is the placeholder address of an anonymised account: unique,
// and in the reserved .invalid domain so that nothing is ever sent to it.
func ErasedEmail(userID string) string {
	return "erased-" + userID + "@erased.invalid"
}

// erasedUserFields are cleared on an anonymised account, where they exist.
var erasedUserFields = []string{"avatar", "phone", "first_gclid", "ga_client_id"}

// Anonymise erases the personal data of a user's account while keeping
// what the law requires: the name, email and phone become placeholders,
// the password is replaced by a random one and the token key renewed (so
// every session and token ends), OAuth2 links and one-time passwords go,
// their touchpoints and assistant conversations are deleted and their consents unlinked (kept as proof
// of what was decided, without the person). The workspaces they were the
// only member of are deleted as by their owner; their memberships go.
// Issued invoices stay under legal hold. Running it again changes nothing.
func Anonymise(app core.App, userID string, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		user, err := tx.FindRecordById("users", userID)
		if err != nil {
			return err
		}
		if user.GetString("erased_at") != "" {
			return nil
		}
		names, err := soleOwnerWithMembers(tx, userID)
		if err != nil {
			return err
		}
		if len(names) > 0 {
			return errors.New("the user is the only owner of " + strings.Join(names, ", ") + ", which has other members")
		}

		var alone []string
		if err := tx.DB().NewQuery(`SELECT m.workspace FROM memberships m WHERE m.user = {:u}
			AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.workspace = m.workspace AND o.user != {:u})`).
			Bind(dbx.Params{"u": userID}).Column(&alone); err != nil {
			return err
		}
		for _, ws := range alone {
			if err := cancelWorkspace(tx, ws, now); err != nil {
				return err
			}
		}
		var memberships []*core.Record
		if err := tx.RecordQuery("memberships").AndWhere(dbx.HashExp{"user": userID}).All(&memberships); err != nil {
			return err
		}
		for _, m := range memberships {
			if err := tx.Delete(m); err != nil {
				return err
			}
		}

		user.Set("name", ErasedName)
		user.SetEmail(ErasedEmail(userID))
		user.SetEmailVisibility(false)
		user.SetVerified(false)
		for _, f := range erasedUserFields {
			if user.Collection().Fields.GetByName(f) != nil {
				user.Set(f, nil)
			}
		}
		user.SetRandomPassword()
		user.RefreshTokenKey()
		user.Set("erased_at", now)
		if err := tx.Save(user); err != nil {
			return err
		}

		for _, q := range []string{
			"DELETE FROM touchpoints WHERE user = {:u}",
			"DELETE FROM assistant_messages WHERE conversation IN (SELECT id FROM assistant_conversations WHERE user = {:u})",
			"DELETE FROM assistant_conversations WHERE user = {:u}",
			"UPDATE consents SET user = '', user_agent = '' WHERE user = {:u}",
			"DELETE FROM _externalAuths WHERE collectionRef = {:c} AND recordRef = {:u}",
			"DELETE FROM _mfas WHERE collectionRef = {:c} AND recordRef = {:u}",
			"DELETE FROM _otps WHERE collectionRef = {:c} AND recordRef = {:u}",
			"DELETE FROM _authOrigins WHERE collectionRef = {:c} AND recordRef = {:u}",
		} {
			if _, err := tx.DB().NewQuery(q).Bind(dbx.Params{"u": userID, "c": user.Collection().Id}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}

// eraseDue anonymises the accounts whose erasure's grace period has
// ended and completes their requests; it returns how many. An erasure that
// cannot be carried out stays scheduled, with the reason, for an admin.
func (p *privacy) eraseDue(app core.App, now time.Time) (int, error) {
	var due []*core.Record
	err := app.RecordQuery(Requests).
		AndWhere(dbx.HashExp{"type": TypeErasure, "status": StatusScheduled}).
		AndWhere(dbx.NewExp("[[erase_after]] <= {:now}", dbx.Params{"now": dateString(now)})).
		OrderBy("erase_after").All(&due)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, r := range due {
		if err := Anonymise(app, r.GetString("user"), now); err != nil {
			r.Set("result", "Not yet erased: "+err.Error())
			if serr := app.Save(r); serr != nil {
				return done, serr
			}
			app.Logger().Error("Privacy: an erasure could not be carried out", "request", r.Id, "error", err.Error())
			continue
		}
		r.Set("status", StatusCompleted)
		r.Set("completed", now)
		r.Set("result", "Account anonymised; issued invoices kept under legal hold.")
		if err := app.Save(r); err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}
