package main

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kontor-app/kontor/internal/testserver"
)

// TestServes checks that the binary serves the API, the dashboard and the web UI.
func TestServes(t *testing.T) {
	p := testserver.Start(t, testserver.Build(t), t.TempDir())
	for _, path := range []string{"/api/health", "/_/", "/"} {
		res, err := http.Get(p.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
	}
}

// TestCrashDuringIssuing kills the server with SIGKILL while 20 clients issue
// invoices into four series, restarts it on the same data, issues the rest,
// and checks every series numbers 1..n with no gap and no duplicate.
func TestCrashDuringIssuing(t *testing.T) {
	bin, dataDir := testserver.Build(t), t.TempDir()
	p := testserver.Start(t, bin, dataDir)
	s := &testserver.Server{URL: p.URL}

	type job struct {
		user testserver.User
		id   string
	}
	var jobs []job
	var seriesIDs []string
	owners := map[string]testserver.User{}
	for i := range 2 {
		u := s.SignUp(t, fmt.Sprintf("owner%d@example.com", i))
		ws := s.Workspace(t, u, fmt.Sprintf("Workspace %d", i))
		client := s.Client(t, u, ws, nil)
		b := s.Create(t, u, "series", map[string]any{"workspace": ws, "code": "B", "document_type": "invoice", "pattern": "B{yy}-{seq:5}", "yearly_reset": true}).String("id")
		inv := s.Must(t, u.Token, http.MethodGet, "/api/collections/series/records?filter="+url.QueryEscape("workspace='"+ws+"' && code='INV'"), nil).String("items.0.id")
		for _, series := range []string{inv, b} {
			seriesIDs = append(seriesIDs, series)
			owners[series] = u
			for range 100 {
				id := s.Create(t, u, "invoices", map[string]any{"workspace": ws, "series": series, "client": client, "lines": []any{testserver.Line("x", "1", "10")}}).String("id")
				jobs = append(jobs, job{u, id})
			}
		}
	}

	// issue from 20 clients and kill the server once 150 are through
	var issued atomic.Int64
	killed := make(chan struct{})
	var once sync.Once
	queue := make(chan job, len(jobs))
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	client := &http.Client{Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				select {
				case <-killed:
					return
				default:
				}
				req, _ := http.NewRequest(http.MethodPost, p.URL+"/api/kontor/invoices/"+j.id+"/issue", nil)
				req.Header.Set("Authorization", j.user.Token)
				res, err := client.Do(req)
				if err != nil {
					continue // the server is gone
				}
				res.Body.Close()
				if res.StatusCode == 200 && issued.Add(1) >= 150 {
					once.Do(func() {
						p.Kill() // SIGKILL: no shutdown, no flush
						close(killed)
					})
				}
			}
		}()
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatal("the server was not killed mid-way")
	}

	// restart on the same data and issue whatever is still a draft
	s.URL = testserver.Start(t, bin, dataDir).URL
	for _, j := range jobs {
		r := s.Do(t, j.user.Token, http.MethodGet, "/api/collections/invoices/records/"+j.id, nil)
		if r.String("status") == "draft" {
			if r := s.Issue(t, j.user, j.id); r.Status != 200 {
				t.Fatalf("issue after restart: %d %s", r.Status, r.Raw)
			}
		} else if r.String("number") == "" {
			t.Fatalf("issued without a number: %s", r.Raw)
		}
	}
	for _, series := range seriesIDs {
		r := s.Must(t, owners[series].Token, http.MethodGet, "/api/collections/invoices/records?perPage=500&fields=number&filter="+url.QueryEscape("series='"+series+"'"), nil)
		var seqs []int
		for _, item := range r.Body["items"].([]any) {
			number := item.(map[string]any)["number"].(string)
			n, err := strconv.Atoi(number[strings.LastIndex(number, "-")+1:])
			if err != nil {
				t.Fatalf("number %q", number)
			}
			seqs = append(seqs, n)
		}
		sort.Ints(seqs)
		if len(seqs) != 100 {
			t.Fatalf("series %s has %d documents", series, len(seqs))
		}
		for i, n := range seqs {
			if n != i+1 {
				t.Fatalf("series %s numbers %v are not 1..100", series, seqs)
			}
		}
	}
}
