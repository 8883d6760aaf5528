package render

import (
	"strings"
	"testing"
)

func TestEPCPayload(t *testing.T) {
	cases := []struct {
		name string
		in   EPC
		want string
	}{
		{
			name: "with BIC",
			in:   EPC{BIC: "COBADEFFXXX", Name: "Müller & Söhne GmbH", IBAN: "DE89 3704 0044 0532 0130 00", Amount: "1452", Remittance: "INV-2026-0001"},
			want: "BCD\n002\n1\nSCT\nCOBADEFFXXX\nMüller & Söhne GmbH\nDE89370400440532013000\nEUR1452.00\n\n\nINV-2026-0001",
		},
		{
			name: "without BIC",
			in:   EPC{Name: "Acme", IBAN: "FR1420041010050500013M02606", Amount: "0.01", Remittance: "F-1"},
			want: "BCD\n002\n1\nSCT\n\nAcme\nFR1420041010050500013M02606\nEUR0.01\n\n\nF-1",
		},
		{
			name: "largest amount",
			in:   EPC{Name: "Acme", IBAN: "DE89370400440532013000", Amount: "999999999.99", Remittance: "X"},
			want: "BCD\n002\n1\nSCT\n\nAcme\nDE89370400440532013000\nEUR999999999.99\n\n\nX",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := EPCPayload(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("payload\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}

func TestEPCPayloadRefuses(t *testing.T) {
	ok := EPC{Name: "Acme", IBAN: "DE89370400440532013000", Amount: "10", Remittance: "INV-1"}
	cases := []struct {
		name   string
		change func(*EPC)
		msg    string
	}{
		{"no name", func(p *EPC) { p.Name = " " }, "name is required"},
		{"long name", func(p *EPC) { p.Name = strings.Repeat("a", 71) }, "70 characters"},
		{"bad IBAN", func(p *EPC) { p.IBAN = "DE00370400440532013000" }, "IBAN"},
		{"bad BIC", func(p *EPC) { p.BIC = "NOTABIC" }, "BIC"},
		{"zero", func(p *EPC) { p.Amount = "0" }, "0.01"},
		{"negative", func(p *EPC) { p.Amount = "-5" }, "0.01"},
		{"too large", func(p *EPC) { p.Amount = "1000000000" }, "999999999.99"},
		{"three decimals", func(p *EPC) { p.Amount = "1.005" }, "two decimals"},
		{"not a number", func(p *EPC) { p.Amount = "ten" }, "decimal"},
		{"long remittance", func(p *EPC) { p.Remittance = strings.Repeat("r", 141) }, "140"},
		{"line break", func(p *EPC) { p.Remittance = "a\nb" }, "line break"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ok
			c.change(&p)
			_, err := EPCPayload(p)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v, want one mentioning %q", err, c.msg)
			}
		})
	}
	if _, err := EPCPayload(ok); err != nil {
		t.Fatalf("the valid base case fails: %v", err)
	}
}
