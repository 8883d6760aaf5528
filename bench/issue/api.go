package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// api speaks JSON to one server over one shared, keep-alive HTTP client.
type api struct {
	base   string
	client *http.Client
	// suToken is the superuser's token, once signed in.
	suToken string
}

// newAPI returns a client that keeps at least as many idle connections as
// there are workers, so that no request waits for a new connection.
func newAPI(base string, workers int, timeout time.Duration) *api {
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        2 * workers,
		MaxIdleConnsPerHost: 2 * workers,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &api{base: base, client: &http.Client{Transport: tr, Timeout: timeout}}
}

// statusError is an answer outside 2xx.
type statusError struct {
	method, path string
	status       int
	body         []byte
}

func (e *statusError) Error() string {
	body := e.body
	if len(body) > 300 {
		body = body[:300]
	}
	return fmt.Sprintf("%s %s: %d %s", e.method, e.path, e.status, bytes.TrimSpace(body))
}

// send makes one request with an optional JSON body as the holder of token
// ("" for a guest) and returns the status and the whole body.
func (a *api) send(ctx context.Context, token, method, path string, in any) (int, []byte, error) {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return 0, nil, err
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, body)
	if err != nil {
		return 0, nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := a.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return res.StatusCode, raw, err
}

// do sends a request, fails unless the answer is 2xx, and decodes the
// answer into out (unless nil).
func (a *api) do(ctx context.Context, token, method, path string, in, out any) error {
	status, raw, err := a.send(ctx, token, method, path, in)
	if err != nil {
		return err
	}
	if status < 200 || status > 299 {
		return &statusError{method: method, path: path, status: status, body: raw}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

// record is the part of a record answer the tool reads.
type record struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Status string `json:"status"`
}

// create creates a record of a collection and returns its id.
func (a *api) create(ctx context.Context, token, collection string, body map[string]any) (string, error) {
	var r record
	err := a.do(ctx, token, http.MethodPost, "/api/collections/"+collection+"/records", body, &r)
	return r.ID, err
}

// signIn authenticates an auth collection's record by password and returns
// the token.
func (a *api) signIn(ctx context.Context, collection, identity, password string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	err := a.do(ctx, "", http.MethodPost, "/api/collections/"+collection+"/auth-with-password",
		map[string]any{"identity": identity, "password": password}, &out)
	return out.Token, err
}

// list returns one page of a collection's records matching filter.
func (a *api) list(ctx context.Context, token, collection, filter string, page, perPage int, fields string) ([]record, error) {
	q := url.Values{
		"filter":    {filter},
		"page":      {fmt.Sprint(page)},
		"perPage":   {fmt.Sprint(perPage)},
		"sort":      {"id"},
		"skipTotal": {"1"},
		"fields":    {fields},
	}
	var out struct {
		Items []record `json:"items"`
	}
	err := a.do(ctx, token, http.MethodGet, "/api/collections/"+collection+"/records?"+q.Encode(), nil, &out)
	return out.Items, err
}

// profile starts or stops the CPU profile of a profiling build
// (bench/issue/profiled); file is where the server writes it.
func (a *api) profile(ctx context.Context, action, file string) error {
	q := url.Values{"file": {file}}
	return a.do(ctx, a.suToken, http.MethodPost, "/api/bench/cpuprofile/"+action+"?"+q.Encode(), nil, nil)
}
