// Package payments lets buyers pay our users' invoices: every issued
// document gets a private public link (/i/{token}) with the invoice, the
// bank transfer details and EPC QR code, and a button per payment provider
// the workspace enabled; the providers are plugins of kind "payment"
// (Stripe, GoCardless, or a third party's), whose webhooks are verified by
// the plugin and recorded once, with the payment, in one transaction.
//
// Routes:
//
//	GET  /api/kontor/payment-providers                         the loaded payment plugins
//	POST /api/kontor/webhooks/payments/{provider}/{workspace}  a provider's event
//	GET  /i/{token}                                            the buyer's page (and pay, pdf)
//
// docs/payments.md describes the collections and routes.
package payments

import (
	"context"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/secret"
)

// KindPayment is the plugin kind of payment providers.
const KindPayment = "payment"

// Providers are the payment plugins (a *host.Host).
type Providers interface {
	Plugins(kind string) []host.Info
	CreatePayment(ctx context.Context, provider string, req sdk.PaymentRequest) (*sdk.PaymentLink, error)
	ParseWebhook(ctx context.Context, provider string, req sdk.WebhookRequest) (*sdk.PaymentEvent, error)
}

// Config is what payments need from the rest of Kontor.
type Config struct {
	// PublicURL is where buyers and providers reach Kontor.
	PublicURL string
	// Providers are the payment plugins; nil offers none.
	Providers Providers
	// Secrets seals the accounts' settings and the invoices' links.
	Secrets *secret.Box
	// Canonical maps an issued invoice to the canonical model the plugins
	// take (hooks/einvoice).
	Canonical func(app core.App, invoice *core.Record) (*sdk.Invoice, error)
	// PDF returns an issued invoice's stored PDF and its file name
	// (hooks/render).
	PDF func(app core.App, invoice *core.Record) ([]byte, string, error)
	// QRSVG draws the EPC QR code of a SEPA credit transfer as SVG markup
	// (hooks/render); nil shows none.
	QRSVG func(beneficiary, bic, iban, amount, reference string) (string, error)
}

// payments holds what the hooks and routes share.
type payments struct {
	cfg Config
	now func() time.Time
}

// Register binds the payment hooks and routes, and returns the Links that
// print an invoice's public link.
func Register(app core.App, cfg Config) *Links {
	p := &payments{cfg: cfg, now: time.Now}
	links := &Links{secrets: cfg.Secrets, publicURL: cfg.PublicURL}

	app.OnRecordUpdate("invoices").BindFunc(links.giveLink)
	app.OnRecordCreateRequest("payment_accounts").BindFunc(p.saveAccountRequest)
	app.OnRecordUpdateRequest("payment_accounts").BindFunc(p.saveAccountRequest)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/kontor/payment-providers", p.providersRoute)
		se.Router.POST("/api/kontor/webhooks/payments/{provider}/{workspace}", p.webhookRoute)
		se.Router.GET("/i-assets/{file}", assetsRoute)
		pub := se.Router.Group("/i")
		pub.GET("/{token}", p.pageRoute(links))
		pub.POST("/{token}/pay/{provider}", p.payRoute(links))
		pub.GET("/{token}/pdf", p.pdfRoute(links))
		if cfg.Providers == nil || len(cfg.Providers.Plugins(KindPayment)) == 0 {
			se.App.Logger().Info("payments: no payment provider plugin is loaded; invoices offer bank transfer only")
		}
		return se.Next()
	})
	return links
}
