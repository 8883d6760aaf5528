package payments

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/accounts"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// saveAccountRequest is bound to the create and update requests of a
// provider account: the provider must be a loaded payment plugin, and the
// settings of the body are sealed and masked (accounts.SaveSettings).
func (p *payments) saveAccountRequest(e *core.RecordRequestEvent) error {
	r := e.Record
	if r.IsNew() || r.GetString("provider") != r.Original().GetString("provider") {
		if !p.hasProvider(r.GetString("provider")) {
			return fielderr.New("provider", "No payment provider plugin named \""+r.GetString("provider")+"\" is loaded.")
		}
	}
	if err := accounts.SaveSettings(e, p.cfg.Secrets); err != nil {
		return err
	}
	r.Set("webhook_url", p.cfg.PublicURL+"/api/kontor/webhooks/payments/"+r.GetString("provider")+"/"+r.GetString("workspace"))
	return e.Next()
}

// openSettings reads the sealed settings of a payment account.
func (p *payments) openSettings(sealed string) (map[string]string, error) {
	return accounts.OpenSettings(p.cfg.Secrets, sealed)
}

// hasProvider reports whether a payment plugin of the name is loaded.
func (p *payments) hasProvider(name string) bool {
	return p.provider(name) != nil
}

// provider returns the loaded payment plugin of the name, or nil.
func (p *payments) provider(name string) *providerInfo {
	if p.cfg.Providers == nil {
		return nil
	}
	for _, info := range p.cfg.Providers.Plugins(KindPayment) {
		if info.Name == name {
			return &providerInfo{Name: info.Name, Title: info.Title}
		}
	}
	return nil
}

// providerInfo names a payment plugin for people.
type providerInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

// providersRoute is GET /api/kontor/payment-providers: the loaded payment
// plugins, for a signed-in user choosing one.
func (p *payments) providersRoute(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	out := []providerInfo{}
	if p.cfg.Providers != nil {
		for _, info := range p.cfg.Providers.Plugins(KindPayment) {
			out = append(out, providerInfo{Name: info.Name, Title: info.Title})
		}
	}
	return e.JSON(http.StatusOK, out)
}
