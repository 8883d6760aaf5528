package payments

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/publicpage"
	"github.com/kontor-app/kontor/money"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// pageRoute is GET /i/{token}: the buyer's page of an issued document.
func (p *payments) pageRoute(links *Links) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		invoice := findByToken(e.App, e.Request.PathValue("token"))
		v := p.viewOf(e.App, invoice, e.Request.PathValue("token"))
		v.Returned = e.Request.URL.Query().Get("paid") == "1" && v.State == "open"
		status := http.StatusOK
		if invoice == nil {
			status = http.StatusNotFound
		}
		return writePage(e, status, v)
	}
}

// payRoute is POST /i/{token}/pay/{provider}: the buyer pays what is due
// through a provider the workspace enabled. The plugin makes the payment;
// its link is recorded, and the buyer is sent to the provider's page.
func (p *payments) payRoute(links *Links) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		token, provider := e.Request.PathValue("token"), e.Request.PathValue("provider")
		invoice := findByToken(e.App, token)
		v := p.viewOf(e.App, invoice, token)
		if invoice == nil {
			return writePage(e, http.StatusNotFound, v)
		}
		if v.State != "open" || invoice.GetString("document_type") != "invoice" {
			v.Error = pageText(v.Lang, "error_closed")
			return writePage(e, http.StatusConflict, v)
		}
		account, err := e.App.FindFirstRecordByFilter("payment_accounts", "workspace = {:w} && provider = {:p} && enabled = true",
			dbx.Params{"w": invoice.GetString("workspace"), "p": provider})
		if err != nil || p.provider(provider) == nil {
			return writePage(e, http.StatusNotFound, v)
		}
		link, err := p.createPayment(e, invoice, account, token, v.Totals.Due)
		if err != nil {
			e.App.Logger().Warn("payments: the provider could not make a payment", "provider", provider, "invoice", invoice.Id, "error", err)
			v.Error = pageText(v.Lang, "error_provider")
			return writePage(e, http.StatusBadGateway, v)
		}
		return e.Redirect(http.StatusSeeOther, link)
	}
}

// createPayment asks the provider's plugin for a payment of what is due and
// records its link; it returns the URL the buyer pays on.
func (p *payments) createPayment(e *core.RequestEvent, invoice, account *core.Record, token, due string) (string, error) {
	settings, err := p.openSettings(account.GetString("sealed_settings"))
	if err != nil {
		return "", err
	}
	canonical, err := p.cfg.Canonical(e.App, invoice)
	if err != nil {
		return "", err
	}
	provider := account.GetString("provider")
	page := p.cfg.PublicURL + "/i/" + token
	link, err := p.cfg.Providers.CreatePayment(e.Request.Context(), provider, sdk.PaymentRequest{
		Invoice: canonical, Amount: due, Currency: invoice.GetString("currency"),
		SuccessURL: page + "?paid=1", CancelURL: page,
		// one payment per invoice, amount due and provider: a second click
		// on the same button is the same payment
		IdempotencyKey: "kontor-" + invoice.Id + "-" + provider + "-" + due + "-" + strconv.FormatInt(p.now().Unix()/600, 10),
		Settings:       settings,
		WebhookURL:     account.GetString("webhook_url"),
	})
	if err != nil {
		return "", err
	}
	collection, err := e.App.FindCachedCollectionByNameOrId("payment_links")
	if err != nil {
		return "", err
	}
	r, err := e.App.FindFirstRecordByFilter("payment_links", "workspace = {:w} && provider = {:p} && provider_payment_id = {:id}",
		dbx.Params{"w": invoice.GetString("workspace"), "p": provider, "id": link.ID})
	if err != nil {
		r = core.NewRecord(collection)
	}
	r.Set("workspace", invoice.GetString("workspace"))
	r.Set("invoice", invoice.Id)
	r.Set("provider", provider)
	r.Set("provider_payment_id", link.ID)
	r.Set("url", link.URL)
	r.Set("amount", due)
	r.Set("currency", invoice.GetString("currency"))
	r.Set("expires_at", link.ExpiresAt)
	if r.IsNew() {
		r.Set("status", "open")
	}
	if err := e.App.Save(r); err != nil {
		return "", err
	}
	return link.URL, nil
}

// pdfRoute is GET /i/{token}/pdf: the document's PDF.
func (p *payments) pdfRoute(links *Links) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		invoice := findByToken(e.App, e.Request.PathValue("token"))
		if invoice == nil || p.cfg.PDF == nil {
			return e.NotFoundError("This link does not lead to an invoice.", nil)
		}
		data, name, err := p.cfg.PDF(e.App, invoice)
		if err != nil {
			return err
		}
		h := e.Response.Header()
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		h.Set("Cache-Control", "private, no-store")
		h.Set("Referrer-Policy", "no-referrer")
		return e.Blob(http.StatusOK, "application/pdf", data)
	}
}

// viewOf is the page of a document; nil is an unknown link.
func (p *payments) viewOf(app core.App, invoice *core.Record, token string) pageView {
	v := pageView{State: "gone", Token: token, Lang: "en"}
	if invoice == nil {
		return v
	}
	var seller, buyer map[string]string
	_ = json.Unmarshal([]byte(invoice.GetString("seller")), &seller)
	_ = json.Unmarshal([]byte(invoice.GetString("buyer")), &buyer)
	var totals struct {
		Net, VAT, Gross, Paid, Due string
	}
	_ = json.Unmarshal([]byte(invoice.GetString("totals")), &totals)
	var lines []struct {
		Description     string `json:"description"`
		Quantity        string `json:"quantity"`
		UnitCode        string `json:"unit_code"`
		UnitPrice       string `json:"unit_price"`
		DiscountPercent string `json:"discount_percent"`
		VATCategory     string `json:"vat_category"`
		VATRate         string `json:"vat_rate"`
		NetAmount       string `json:"net_amount"`
	}
	_ = json.Unmarshal([]byte(invoice.GetString("lines")), &lines)
	var breakdown []struct {
		Category        string `json:"category"`
		Rate            string `json:"rate"`
		Taxable         string `json:"taxable"`
		VAT             string `json:"vat"`
		ExemptionReason string `json:"exemption_reason"`
	}
	_ = json.Unmarshal([]byte(invoice.GetString("vat_breakdown")), &breakdown)
	for _, l := range lines {
		v.Lines = append(v.Lines, pageLine(l))
	}
	for _, b := range breakdown {
		v.Breakdown = append(v.Breakdown, pageBreakdown(b))
	}

	v.Lang, v.Document, v.Number = invoice.GetString("language"), invoice.GetString("document_type"), invoice.GetString("number")
	v.IssueDate, v.DueDate, v.Currency = invoice.GetString("issue_date"), invoice.GetString("due_date"), invoice.GetString("currency")
	v.Seller, v.Buyer = partyOf(seller), partyOf(buyer)
	v.Totals = pageTotals{Net: totals.Net, VAT: totals.VAT, Gross: totals.Gross, Paid: totals.Paid, Due: totals.Due}
	due, _ := money.Parse(totals.Due)
	switch status := invoice.GetString("status"); {
	case status == "cancelled":
		v.State = "cancelled"
	case !due.IsPositive():
		v.State = "paid"
	default:
		v.State = "open"
	}
	if v.State != "open" || v.Document != "invoice" {
		return v
	}
	v.Overdue = v.DueDate != "" && v.DueDate < p.now().UTC().Format(time.DateOnly)
	if iban := seller["iban"]; iban != "" {
		v.BankTransfer = &pageBank{Beneficiary: seller["name"], IBAN: iban, BIC: seller["bic"], Reference: v.Number, Amount: totals.Due}
		if v.Currency == "EUR" && p.cfg.QRSVG != nil {
			if svg, err := p.cfg.QRSVG(seller["name"], seller["bic"], iban, totals.Due, v.Number); err == nil {
				v.BankTransfer.QRSVG = template.HTML(svg) // markup made by our own QR encoder
			}
		}
	}
	accounts, _ := app.FindRecordsByFilter("payment_accounts", "workspace = {:w} && enabled = true", "provider", 0, 0,
		dbx.Params{"w": invoice.GetString("workspace")})
	for _, a := range accounts {
		if info := p.provider(a.GetString("provider")); info != nil {
			v.Providers = append(v.Providers, pageProvider{Name: info.Name, Title: info.Title})
		}
	}
	return v
}

// partyOf is a frozen seller or buyer as the page shows it.
func partyOf(m map[string]string) pageParty {
	return pageParty{Name: m["name"], AddressLine: m["address_line"], PostalCode: m["postal_code"], City: m["city"],
		Country: m["country"], VATID: m["vat_id"], Email: m["email"]}
}

// pageCSP lets the page load its own style and nothing else; its forms
// may lead on to a provider's https page.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' https:; base-uri 'none'; frame-ancestors 'none'"

// writePage writes the buyer's page with the HTTP status given.
func writePage(e *core.RequestEvent, status int, v pageView) error {
	var buf bytes.Buffer
	if err := renderPage(&buf, v); err != nil {
		return err
	}
	return publicpage.Write(e, status, buf.Bytes(), pageCSP)
}
