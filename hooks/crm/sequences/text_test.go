package sequences

import (
	"reflect"
	"testing"
)

func TestFill(t *testing.T) {
	values := map[string]string{"first_name": "Ana", "last_name": "García", "company": "Acme", "sender": "Nordlicht"}
	for _, tc := range []struct{ in, want string }{
		{"Hi {{first_name}},", "Hi Ana,"},
		{"{{ first_name }} {{LAST_NAME}} at {{company}}", "Ana García at Acme"},
		{"— {{sender}}", "— Nordlicht"},
		{"no placeholders {first_name}", "no placeholders {first_name}"},
	} {
		if got := fill(tc.in, values); got != tc.want {
			t.Errorf("fill(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := fill("Hi {{first_name}}", nil); got != "Hi " {
		t.Errorf("an empty value: %q", got)
	}
}

func TestUnknownPlaceholders(t *testing.T) {
	if got := unknownPlaceholders("Hi {{first_name}}, {{deal_value}} and {{ nick }}"); !reflect.DeepEqual(got, []string{"{{deal_value}}", "{{ nick }}"}) {
		t.Errorf("unknownPlaceholders = %q", got)
	}
}

func TestReplyKeyOf(t *testing.T) {
	key := "0123456789abcdef0123456789abcdef"
	for _, tc := range []struct {
		name      string
		addresses []string
		refs      []string
		want      string
	}{
		{"reply address", []string{"Sales <reply+" + key + "@reply.example.com>"}, nil, key},
		{"upper case", []string{"REPLY+" + "0123456789ABCDEF0123456789ABCDEF" + "@REPLY.EXAMPLE.COM"}, nil, key},
		{"in-reply-to", []string{"ana@example.com"}, []string{"<seq." + key + ".2@kontor.example>"}, key},
		{"references, among others", nil, []string{"", "<a@b> <seq." + key + ".0@kontor.example>"}, key},
		{"none", []string{"hello@example.com", "reply+short@x.example"}, []string{"<other@x>"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := replyKeyOf(tc.addresses, tc.refs...); got != tc.want {
				t.Errorf("replyKeyOf = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cfg, err := ConfigFromEnv(env(map[string]string{"KONTOR_INBOUND_WEBHOOK_SECRET": testSecret, "KONTOR_INBOUND_REPLY_DOMAIN": "Reply.Example.com"}))
	if err != nil || cfg.InboundWebhookSecret != testSecret || cfg.InboundReplyDomain != "reply.example.com" {
		t.Fatalf("ConfigFromEnv = %+v, %v", cfg, err)
	}
	for _, bad := range []map[string]string{
		{"KONTOR_INBOUND_WEBHOOK_SECRET": "secret"},
		{"KONTOR_INBOUND_WEBHOOK_SECRET": "whsec_!!"},
		{"KONTOR_INBOUND_REPLY_DOMAIN": "https://reply.example.com"},
		{"KONTOR_INBOUND_REPLY_DOMAIN": "localhost"},
		{"KONTOR_INBOUND_REPLY_DOMAIN": "a@b.example"},
	} {
		if _, err := ConfigFromEnv(env(bad)); err == nil {
			t.Errorf("ConfigFromEnv(%v) took it", bad)
		}
	}
}

func TestUnsubscribePageTexts(t *testing.T) {
	if err := pageTexts.Check("public/unsubscribe.html"); err != nil {
		t.Error(err)
	}
	for lang := range footers {
		if _, ok := pageTexts[lang]; !ok {
			t.Errorf("the page has no %s texts", lang)
		}
	}
}
