package conversions

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Defaults of the endpoints.
const (
	DefaultGoogleAdsAPIBase = "https://googleads.googleapis.com"
	DefaultOAuthTokenURL    = "https://oauth2.googleapis.com/token"
	// DefaultGA4Endpoint is GA4's EU collection endpoint: data collected
	// there is processed in the EU before it goes on to Google Analytics.
	DefaultGA4Endpoint = "https://region1.google-analytics.com"
)

// GoogleAdsAPIVersion is the Google Ads API version Kontor calls: the
// newest (October 2026). Google sunsets a version about a year after it
// comes out; raise it, and check the release notes, before then.
const GoogleAdsAPIVersion = "v26"

// AllowedFunc says whether a user's conversions may be uploaded: only when
// their latest advertising decision is "accepted" and they have not
// objected. When not, reason says why, in words for the outbox. The
// server sets it to consent.AdvertisingAllowed.
type AllowedFunc func(app core.App, userID string) (ok bool, reason string, err error)

// Config is where conversions go. With neither destination they are off:
// conversion messages end not_sent, and the server says so at start.
type Config struct {
	// Ads uploads click conversions to Google Ads; nil turns it off.
	Ads *AdsConfig
	// GA4 sends events to a GA4 property through the Measurement Protocol;
	// nil turns it off.
	GA4 *GA4Config
	// Allowed is the consent check, made when a conversion is fanned out
	// and again right before each upload. Without it nothing is uploaded.
	Allowed AllowedFunc
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Enabled reports whether any destination is configured.
func (c Config) Enabled() bool { return c.Ads != nil || c.GA4 != nil }

// AdsConfig is a Google Ads account to upload click conversions to.
type AdsConfig struct {
	// CustomerID is the account the conversions belong to, ten digits
	// without dashes (KONTOR_GOOGLE_ADS_CUSTOMER_ID).
	CustomerID string
	// LoginCustomerID is the manager account through which the credentials
	// reach CustomerID; empty when they reach it directly
	// (KONTOR_GOOGLE_ADS_LOGIN_CUSTOMER_ID).
	LoginCustomerID string
	// DeveloperToken is the API developer token
	// (KONTOR_GOOGLE_ADS_DEVELOPER_TOKEN).
	DeveloperToken string
	// ClientID, ClientSecret and RefreshToken are the OAuth client and
	// the offline grant exchanged for access tokens at TokenURL
	// (KONTOR_GOOGLE_ADS_CLIENT_ID, _CLIENT_SECRET, _REFRESH_TOKEN,
	// KONTOR_GOOGLE_OAUTH_TOKEN_URL).
	ClientID     string
	ClientSecret string
	RefreshToken string
	TokenURL     string
	// APIBase is the Google Ads API's base URL (KONTOR_GOOGLE_ADS_API_BASE).
	APIBase string
	// ConversionActions maps a conversion event (registration,
	// first_payment, plan_change) to the id of its conversion action; an
	// event without one is not uploaded to Google Ads
	// (KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS).
	ConversionActions map[string]string
}

// GA4Config is a GA4 web data stream to send events to.
type GA4Config struct {
	// MeasurementID is the stream's id, G-… (KONTOR_GA4_MEASUREMENT_ID).
	MeasurementID string
	// APISecret is a Measurement Protocol API secret of the stream
	// (KONTOR_GA4_API_SECRET).
	APISecret string
	// Endpoint is the collection endpoint's base URL (KONTOR_GA4_ENDPOINT).
	Endpoint string
}

var (
	customerIDPattern    = regexp.MustCompile(`^[0-9]{10}$`)
	actionIDPattern      = regexp.MustCompile(`^[0-9]{1,19}$`)
	measurementIDPattern = regexp.MustCompile(`^G-[A-Z0-9]{4,20}$`)
)

// ConfigFromEnv reads the destinations through getenv (usually os.Getenv).
// A destination is off when none of its variables is set; with some but
// not all of the required ones, it is an error naming the missing ones. A
// malformed value is an error too. Allowed is left for the caller to set.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var cfg Config
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }

	adsRequired := []string{"KONTOR_GOOGLE_ADS_CUSTOMER_ID", "KONTOR_GOOGLE_ADS_DEVELOPER_TOKEN", "KONTOR_GOOGLE_ADS_CLIENT_ID",
		"KONTOR_GOOGLE_ADS_CLIENT_SECRET", "KONTOR_GOOGLE_ADS_REFRESH_TOKEN", "KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS"}
	adsOptional := []string{"KONTOR_GOOGLE_ADS_LOGIN_CUSTOMER_ID", "KONTOR_GOOGLE_ADS_API_BASE", "KONTOR_GOOGLE_OAUTH_TOKEN_URL"}
	if err := complete("Google Ads conversion uploads", get, adsRequired, adsOptional); err != nil {
		return cfg, err
	} else if get(adsRequired[0]) != "" {
		ads := &AdsConfig{
			DeveloperToken: get("KONTOR_GOOGLE_ADS_DEVELOPER_TOKEN"),
			ClientID:       get("KONTOR_GOOGLE_ADS_CLIENT_ID"),
			ClientSecret:   get("KONTOR_GOOGLE_ADS_CLIENT_SECRET"),
			RefreshToken:   get("KONTOR_GOOGLE_ADS_REFRESH_TOKEN"),
		}
		var err error
		if ads.CustomerID, err = customerID("KONTOR_GOOGLE_ADS_CUSTOMER_ID", get("KONTOR_GOOGLE_ADS_CUSTOMER_ID")); err != nil {
			return cfg, err
		}
		if v := get("KONTOR_GOOGLE_ADS_LOGIN_CUSTOMER_ID"); v != "" {
			if ads.LoginCustomerID, err = customerID("KONTOR_GOOGLE_ADS_LOGIN_CUSTOMER_ID", v); err != nil {
				return cfg, err
			}
		}
		if ads.ConversionActions, err = conversionActions(get("KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS")); err != nil {
			return cfg, err
		}
		if ads.APIBase, err = httpURL("KONTOR_GOOGLE_ADS_API_BASE", get("KONTOR_GOOGLE_ADS_API_BASE"), DefaultGoogleAdsAPIBase); err != nil {
			return cfg, err
		}
		if ads.TokenURL, err = httpURL("KONTOR_GOOGLE_OAUTH_TOKEN_URL", get("KONTOR_GOOGLE_OAUTH_TOKEN_URL"), DefaultOAuthTokenURL); err != nil {
			return cfg, err
		}
		cfg.Ads = ads
	}

	ga4Required := []string{"KONTOR_GA4_MEASUREMENT_ID", "KONTOR_GA4_API_SECRET"}
	if err := complete("GA4 conversion events", get, ga4Required, []string{"KONTOR_GA4_ENDPOINT"}); err != nil {
		return cfg, err
	} else if get(ga4Required[0]) != "" {
		ga4 := &GA4Config{MeasurementID: get("KONTOR_GA4_MEASUREMENT_ID"), APISecret: get("KONTOR_GA4_API_SECRET")}
		if !measurementIDPattern.MatchString(ga4.MeasurementID) {
			return cfg, fmt.Errorf("KONTOR_GA4_MEASUREMENT_ID must be a GA4 measurement id such as G-ABC123XYZ9, got %q", ga4.MeasurementID)
		}
		var err error
		if ga4.Endpoint, err = httpURL("KONTOR_GA4_ENDPOINT", get("KONTOR_GA4_ENDPOINT"), DefaultGA4Endpoint); err != nil {
			return cfg, err
		}
		cfg.GA4 = ga4
	}
	return cfg, nil
}

// complete returns an error naming the required variables that are missing
// when any variable of the group is set.
func complete(what string, get func(string) string, required, optional []string) error {
	var set, missing []string
	for _, name := range append(append([]string{}, required...), optional...) {
		if get(name) != "" {
			set = append(set, name)
		}
	}
	if len(set) == 0 {
		return nil
	}
	for _, name := range required {
		if get(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s need %s too (%s set); set them, or unset every one to turn them off",
		what, strings.Join(missing, ", "), strings.Join(set, ", "))
}

// customerID reads a Google Ads customer id, with or without its dashes.
func customerID(name, v string) (string, error) {
	id := strings.ReplaceAll(v, "-", "")
	if !customerIDPattern.MatchString(id) {
		return "", fmt.Errorf("%s must be a Google Ads customer id of ten digits such as 123-456-7890, got %q", name, v)
	}
	return id, nil
}

// conversionActions reads "event=id,…".
func conversionActions(v string) (map[string]string, error) {
	const name = "KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS"
	actions := map[string]string{}
	for _, pair := range strings.Split(v, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		event, id, ok := strings.Cut(pair, "=")
		event, id = strings.TrimSpace(event), strings.TrimSpace(id)
		switch {
		case !ok || !actionIDPattern.MatchString(id):
			return nil, fmt.Errorf("%s must be event=conversion action id pairs such as registration=123,first_payment=456, got %q", name, pair)
		case event == EventRefund:
			return nil, fmt.Errorf("%s: refunds are not uploaded to Google Ads as conversions (docs/consent.md); remove %q", name, pair)
		case !adsEvents[event]:
			return nil, fmt.Errorf("%s: unknown event %q; the events are %s", name, event, strings.Join(sortedKeys(adsEvents), ", "))
		}
		if _, dup := actions[event]; dup {
			return nil, fmt.Errorf("%s names %s twice", name, event)
		}
		actions[event] = id
	}
	if len(actions) == 0 {
		return nil, fmt.Errorf("%s names no conversion action", name)
	}
	return actions, nil
}

// httpURL reads an http(s) URL, or returns def when v is empty.
func httpURL(name, v, def string) (string, error) {
	if v == "" {
		return def, nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%s must be an http(s) URL such as %s, got %q", name, def, v)
	}
	return strings.TrimRight(v, "/"), nil
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
