package fielderr

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tools/router"
)

func TestErrShape(t *testing.T) {
	if (Errors{}).Err() != nil {
		t.Fatal("no messages must give no error")
	}
	errs := Errors{}
	errs.Add("client", "Choose a client.")
	errs.Add("client", "ignored")
	errs.Nested("lines").Nested("1").Add("quantity", "Line 2: enter a quantity.")

	apiErr, ok := errs.Err().(*router.ApiError)
	if !ok || apiErr.Status != 400 {
		t.Fatalf("want a 400 ApiError, got %#v", errs.Err())
	}
	if apiErr.Message != "2 problems to fix. Choose a client." {
		t.Errorf("message = %q", apiErr.Message)
	}
	body, _ := json.Marshal(apiErr)
	for _, want := range []string{`"client":{"code":"validation_kontor","message":"Choose a client."}`, `"lines":{"1":{"quantity":{"code":"validation_kontor","message":"Line 2: enter a quantity."}}}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body %s lacks %s", body, want)
		}
	}
}
