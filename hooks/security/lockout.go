package security

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The scopes of a lock.
const (
	ScopeAccount = "account"
	ScopeIP      = "ip"
)

// failedSignIn is PocketBase's answer to a wrong identity or password.
const failedSignIn = "Failed to authenticate."

// guardPasswordSignIn is bound to every sign-in with a password (users and
// superusers). A locked account+IP pair, or a locked IP, is refused with
// 429 and Retry-After before the password is checked; a failure is
// counted, and locks the pair, or the IP, when there are too many in the
// window; a success clears the pair's failures. Locks are per account and
// IP, so failures from elsewhere never lock the owner out of their own
// network.
func (s *Security) guardPasswordSignIn(e *core.RecordAuthWithPasswordRequestEvent) error {
	now := s.now().UTC()
	ip := e.RealIP()
	account := accountKey(e)

	lock, err := activeLock(e.App, account, ip, now)
	if err != nil {
		return err
	}
	if lock != nil {
		wait := lock.GetDateTime("until").Time().Sub(now)
		seconds := int(math.Ceil(wait.Seconds()))
		e.Response.Header().Set("Retry-After", strconv.Itoa(seconds))
		return e.TooManyRequestsError(fmt.Sprintf("Too many failed sign-ins from your network. Try again in %d minutes, or reset your password.",
			int(math.Ceil(wait.Minutes()))), nil)
	}

	err = e.Next()
	switch {
	case err == nil:
		_, cerr := e.App.DB().Delete(Failures, dbx.HashExp{"account": account, "ip": ip}).Execute()
		if cerr != nil {
			e.App.Logger().Error("Security: the failed sign-ins of a successful one were not cleared", "error", cerr.Error())
		}
	case isFailedSignIn(err):
		if ferr := s.recordFailure(e, account, ip, now); ferr != nil {
			e.App.Logger().Error("Security: a failed sign-in was not counted", "error", ferr.Error())
		}
	}
	return err
}

// isFailedSignIn reports whether err is PocketBase's answer to a wrong
// identity or password.
func isFailedSignIn(err error) bool {
	var apiErr *router.ApiError
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest && apiErr.Message == failedSignIn
}

// accountKey names the account of a sign-in: "<collection>:<id>" for a
// known one, "?<collection>:<hash>" for an unknown one, so that guessing at
// unknown accounts is counted and locked alike and the answers do not tell
// which accounts exist. What was typed for an unknown account is kept only
// as a hash (SHA-256 of it lower-cased): it may be a password typed in the
// wrong field.
func accountKey(e *core.RecordAuthWithPasswordRequestEvent) string {
	if e.Record != nil {
		return e.Collection.Name + ":" + e.Record.Id
	}
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(e.Identity))))
	return "?" + e.Collection.Name + ":" + hex.EncodeToString(sum[:16])
}

// knownIdentity is what was typed to sign in to a known account, "" for an
// unknown one.
func knownIdentity(e *core.RecordAuthWithPasswordRequestEvent) string {
	if e.Record == nil {
		return ""
	}
	return e.Identity
}

// activeLock is the lock refusing the pair or the IP now, nil when none.
func activeLock(app core.App, account, ip string, now time.Time) (*core.Record, error) {
	r := &core.Record{}
	err := app.RecordQuery(Locks).AndWhere(dbx.NewExp(
		`[[until]] > {:now} AND [[ip]] = {:ip} AND ([[scope]] = 'ip' OR ([[scope]] = 'account' AND [[account]] = {:account}))`,
		dbx.Params{"now": dbTime(now), "ip": ip, "account": account})).
		OrderBy("until DESC").Limit(1).One(r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// recordFailure counts a failed sign-in and locks the pair, or the IP,
// when it is one too many, in one transaction: the failure, the lock, its
// security event and the email to the account's owner.
func (s *Security) recordFailure(e *core.RecordAuthWithPasswordRequestEvent, account, ip string, now time.Time) error {
	ua := userAgent(e.RequestEvent)
	return e.App.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId(Failures)
		if err != nil {
			return err
		}
		f := core.NewRecord(col)
		f.Set("account", account)
		f.Set("ip", ip)
		if err := tx.Save(f); err != nil {
			return err
		}
		since := dbTime(now.Add(-s.cfg.LockoutWindow))

		var pair int
		if err := tx.DB().Select("COUNT(*)").From(Failures).AndWhere(dbx.NewExp(
			"[[account]] = {:account} AND [[ip]] = {:ip} AND [[created]] > {:since}",
			dbx.Params{"account": account, "ip": ip, "since": since})).Row(&pair); err != nil {
			return err
		}
		if pair >= s.cfg.LockoutFailures {
			if err := s.lock(tx, e, ScopeAccount, account, ip, ua, pair, now); err != nil {
				return err
			}
			if _, err := tx.DB().Delete(Failures, dbx.HashExp{"account": account, "ip": ip}).Execute(); err != nil {
				return err
			}
		}

		var fromIP int
		if err := tx.DB().Select("COUNT(*)").From(Failures).AndWhere(dbx.NewExp(
			"[[ip]] = {:ip} AND [[created]] > {:since}", dbx.Params{"ip": ip, "since": since})).Row(&fromIP); err != nil {
			return err
		}
		// the pair's failures just cleared still count towards the IP's
		if pair >= s.cfg.LockoutFailures {
			fromIP += pair
		}
		if fromIP >= s.cfg.IPFailures {
			if err := s.lock(tx, e, ScopeIP, "", ip, ua, fromIP, now); err != nil {
				return err
			}
			if _, err := tx.DB().Delete(Failures, dbx.HashExp{"ip": ip}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}

// lock writes a lock of the scope, its security event and, for an
// account's lock, the email to the account's owner.
func (s *Security) lock(tx core.App, e *core.RecordAuthWithPasswordRequestEvent, scope, account, ip, ua string, failures int, now time.Time) error {
	col, err := tx.FindCachedCollectionByNameOrId(Locks)
	if err != nil {
		return err
	}
	until := now.Add(s.cfg.LockoutCoolOff)
	l := core.NewRecord(col)
	l.Set("scope", scope)
	l.Set("account", account)
	l.Set("ip", ip)
	l.Set("failures", failures)
	l.Set("until", dbTime(until))
	var user *core.Record
	if scope == ScopeAccount {
		l.Set("identity", knownIdentity(e))
		if e.Record != nil && e.Collection.Name == "users" {
			user = e.Record
			l.Set("user", user.Id)
		}
	}
	if err := tx.Save(l); err != nil {
		return err
	}

	event := Event{Type: EventIPLocked, IP: ip, UserAgent: ua,
		Details: map[string]any{"lock": l.Id, "failures": failures, "until": dbTime(until), "window": s.cfg.LockoutWindow.String()}}
	if scope == ScopeAccount {
		event.Type, event.Account, event.Identity = EventAccountLocked, account, knownIdentity(e)
		if user != nil {
			event.User = user.Id
		}
	}
	if err := LogEvent(tx, event); err != nil {
		return err
	}
	tx.Logger().Warn("Security: sign-ins locked", "scope", scope, "account", account, "ip", ip, "failures", failures, "until", dbTime(until))

	if scope == ScopeAccount && e.Record != nil && e.Record.Email() != "" && s.Mailer != nil {
		return s.Mailer.AccountLocked(tx, e.Record, l)
	}
	return nil
}

// dbTime writes a time the way PocketBase stores dates, so that stored
// dates compare with it as text.
func dbTime(t time.Time) string {
	d, _ := types.ParseDateTime(t.UTC())
	return d.String()
}

// userAgent is the request's User-Agent, cut to what is stored.
func userAgent(e *core.RequestEvent) string {
	ua := e.Request.UserAgent()
	if len(ua) > 500 {
		ua = ua[:500]
	}
	return ua
}
