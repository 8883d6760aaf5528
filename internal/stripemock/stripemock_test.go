package stripemock

import (
	"net/http"
	"testing"
)

func TestStart(t *testing.T) {
	url := Start(t)
	req, _ := http.NewRequest(http.MethodGet, url+"/v1/customers/cus_123", nil)
	req.SetBasicAuth("sk_test_123", "")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/customers/cus_123: %d", res.StatusCode)
	}
}
