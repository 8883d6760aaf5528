package billing

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// stripeTimeout bounds one call to Stripe, its retries included.
const stripeTimeout = 30 * time.Second

// newStripe builds the Stripe client of the configuration: its own key and
// backends, pointed at APIBase when set (a stripe-mock in tests).
func newStripe(cfg Config) *client.API {
	httpClient := &http.Client{Timeout: stripeTimeout}
	backend := func(kind stripe.SupportedBackend, url string) stripe.Backend {
		c := &stripe.BackendConfig{HTTPClient: httpClient, LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}}
		if url != "" {
			c.URL = stripe.String(url)
		}
		return stripe.GetBackendWithConfig(kind, c)
	}
	return client.New(cfg.SecretKey, &stripe.Backends{
		API:     backend(stripe.APIBackend, cfg.APIBase),
		Connect: backend(stripe.ConnectBackend, cfg.APIBase),
		Uploads: backend(stripe.UploadsBackend, cfg.APIBase),
	})
}

// isMissing reports whether Stripe answered that the object does not exist.
func isMissing(err error) bool {
	var se *stripe.Error
	return errors.As(err, &se) && (se.Code == stripe.ErrorCodeResourceMissing || se.HTTPStatusCode == http.StatusNotFound)
}

// subscriptionState is what billing keeps of a Stripe subscription, read
// from its JSON so that both the shape of the client's API version and
// newer ones (period end per item) are understood.
type subscriptionState struct {
	ID         string
	Customer   string
	Status     string
	PriceID    string
	UnitAmount int64
	Currency   string
	PeriodEnd  int64
	Workspace  string // metadata.workspace, set at checkout
}

// live reports whether the subscription gives its plan: active, trialing,
// or past due while Stripe retries the payment.
func (s subscriptionState) live() bool {
	switch s.Status {
	case "active", "trialing", "past_due":
		return true
	}
	return false
}

// terminal reports whether the subscription can never be live again.
func (s subscriptionState) terminal() bool {
	return isTerminal(s.Status)
}

func isTerminal(status string) bool {
	return status == "canceled" || status == "incomplete_expired"
}

// parseSubscription reads a subscription object.
func parseSubscription(raw []byte) (subscriptionState, error) {
	var v struct {
		ID               string            `json:"id"`
		Object           string            `json:"object"`
		Customer         idOrObject        `json:"customer"`
		Status           string            `json:"status"`
		CurrentPeriodEnd int64             `json:"current_period_end"`
		Metadata         map[string]string `json:"metadata"`
		Items            struct {
			Data []struct {
				CurrentPeriodEnd int64 `json:"current_period_end"`
				Price            struct {
					ID         string `json:"id"`
					UnitAmount int64  `json:"unit_amount"`
					Currency   string `json:"currency"`
				} `json:"price"`
			} `json:"data"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return subscriptionState{}, err
	}
	if v.ID == "" || (v.Object != "" && v.Object != "subscription") {
		return subscriptionState{}, errors.New("not a subscription")
	}
	s := subscriptionState{ID: v.ID, Customer: string(v.Customer), Status: v.Status,
		PeriodEnd: v.CurrentPeriodEnd, Workspace: v.Metadata["workspace"]}
	if len(v.Items.Data) > 0 {
		item := v.Items.Data[0]
		s.PriceID, s.UnitAmount, s.Currency = item.Price.ID, item.Price.UnitAmount, strings.ToUpper(item.Price.Currency)
		if s.PeriodEnd == 0 {
			s.PeriodEnd = item.CurrentPeriodEnd
		}
	}
	return s, nil
}

// fetchSubscription reads the subscription as Stripe holds it now.
func (b *Billing) fetchSubscription(ctx context.Context, id string) (subscriptionState, error) {
	params := &stripe.SubscriptionParams{}
	params.Context = ctx
	sub, err := b.stripe.Subscriptions.Get(id, params)
	if err != nil {
		return subscriptionState{}, err
	}
	if sub.LastResponse == nil {
		return subscriptionState{}, errors.New("stripe: no response body for subscription " + id)
	}
	return parseSubscription(sub.LastResponse.RawJSON)
}

// customerWorkspace returns the workspace named in a customer's metadata,
// "" when none or when the customer does not exist.
func (b *Billing) customerWorkspace(ctx context.Context, id string) (string, error) {
	params := &stripe.CustomerParams{}
	params.Context = ctx
	c, err := b.stripe.Customers.Get(id, params)
	if isMissing(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return c.Metadata["workspace"], nil
}

// idOrObject is a Stripe field that holds an id, or the object expanded.
type idOrObject string

// UnmarshalJSON takes the id of either form.
func (v *idOrObject) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = idOrObject(s)
		return nil
	}
	var o struct {
		ID string `json:"id"`
	}
	if string(b) == "null" {
		*v = ""
		return nil
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*v = idOrObject(o.ID)
	return nil
}

func upper(s string) string { return strings.ToUpper(s) }
