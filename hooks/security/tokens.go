package security

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// ClientConfig is what GET /api/kontor/client-config tells the web UI
// about sessions.
type ClientConfig struct {
	// IdleTimeoutSeconds is how long the UI stays signed in without input.
	IdleTimeoutSeconds int `json:"idle_timeout_seconds"`
	// AuthTokenSeconds is how long a user's token lasts; the UI refreshes
	// it while in use.
	AuthTokenSeconds int `json:"auth_token_seconds"`
}

// applyTokenDuration makes the users' auth tokens last AuthTokenTTL.
func (s *Security) applyTokenDuration(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	want := int64(s.cfg.AuthTokenTTL.Seconds())
	if users.AuthToken.Duration == want {
		return nil
	}
	users.AuthToken.Duration = want
	return app.Save(users)
}

// clientConfigRoute is GET /api/kontor/client-config, public: the UI reads
// it before anyone signs in.
func (s *Security) clientConfigRoute(e *core.RequestEvent) error {
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, ClientConfig{
		IdleTimeoutSeconds: int(s.cfg.IdleTimeout.Seconds()),
		AuthTokenSeconds:   int(s.cfg.AuthTokenTTL.Seconds()),
	})
}
