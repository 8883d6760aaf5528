package accounts

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/secret"
)

// TestMask shows enough of a key to recognise it.
func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                                   "",
		"short":                              "•••••",
		"12345678":                           "••••••••",
		"sk-ant-api03-abcdefgh":              "sk-ant-…efgh",
		"sk_live_0123456789abcdefghijklmnop": "sk_live_…mnop",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// Settings are sealed, open again under the same key, and only the secret
// ones are masked.
func TestSealAndOpen(t *testing.T) {
	key := make([]byte, 32)
	key[0] = 7
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	c := core.NewBaseCollection("accounts")
	c.Fields.Add(&core.TextField{Name: "sealed_settings"}, &core.JSONField{Name: "settings_hint"})
	r := core.NewRecord(c)
	settings := map[string]string{"secret_key": "sk_live_0123456789abcdef", "environment": "live", "auth_token": "abcdefghijkl"}
	Seal(r, box, settings)

	sealed := r.GetString("sealed_settings")
	for _, v := range settings {
		if len(v) > 4 && strings.Contains(sealed, v) {
			t.Errorf("%q is readable in the sealed settings", v)
		}
	}
	opened, err := OpenSettings(box, sealed)
	if err != nil {
		t.Fatal(err)
	}
	if len(opened) != 3 || opened["secret_key"] != settings["secret_key"] || opened["environment"] != "live" {
		t.Errorf("opened %v", opened)
	}
	hint := map[string]string{}
	if err := r.UnmarshalJSONField("settings_hint", &hint); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"secret_key": "sk_live_…cdef", "environment": "live", "auth_token": "abcd…ijkl"}
	for k, v := range want {
		if hint[k] != v {
			t.Errorf("hint %s = %q, want %q", k, hint[k], v)
		}
	}
	if got, err := OpenSettings(box, ""); err != nil || len(got) != 0 {
		t.Errorf("empty: %v %v", got, err)
	}
	if _, err := OpenSettings(nil, sealed); err == nil {
		t.Error("opened without a key")
	}
	if _, err := OpenSettings(box, sealed[:len(sealed)-2]+"xx"); err == nil {
		t.Error("opened tampered settings")
	}
}
