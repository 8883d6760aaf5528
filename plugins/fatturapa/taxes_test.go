package fatturapa

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/sdk"
)

func TestNatura(t *testing.T) {
	cases := []struct {
		category string
		foreign  bool
		want     string
		ok       bool
	}{
		{"S", false, "", true},
		{"E", false, "N4", true},
		{"G", true, "N3.1", true},
		{"K", true, "N3.2", true},
		{"O", false, "N2.2", true},
		{"AE", true, "N2.1", true},
		{"AE", false, "N6.9", true},
		{"Z", false, "", false},
		{"L", false, "", false},
		{"", false, "", false},
	}
	for _, tc := range cases {
		got, ok := natura(tc.category, tc.foreign)
		if got != tc.want || ok != tc.ok {
			t.Errorf("natura(%q, foreign %v) = %q %v, want %q %v", tc.category, tc.foreign, got, ok, tc.want, tc.ok)
		}
	}
}

func TestLegalReference(t *testing.T) {
	cases := []struct {
		nature, reason, regime, want string
	}{
		{"", "ignored", "RF01", ""},
		{"N4", "Esente art. 10 n. 18 DPR 633/72", "RF01", "Esente art. 10 n. 18 DPR 633/72"},
		{"N4", "", "RF01", legalReferences["N4"]},
		{"N2.2", "", "RF19", flatRateReference},
		{"N2.2", "Operazione fuori campo IVA", "RF19", flatRateReference},
		{"N2.2", "Fuori campo IVA art. 2", "RF01", "Fuori campo IVA art. 2"},
		{"N2.2", "", "RF01", legalReferences["N2.2"]},
		{"N3.1", strings.Repeat("x", 120), "RF01", strings.Repeat("x", 100)},
	}
	for _, tc := range cases {
		if got := legalReference(tc.nature, tc.reason, tc.regime); got != tc.want {
			t.Errorf("legalReference(%q, %q, %q) = %q, want %q", tc.nature, tc.reason, tc.regime, got, tc.want)
		}
	}
	for nature, ref := range legalReferences {
		if latin(ref, 100) != ref {
			t.Errorf("reference of %s does not fit RiferimentoNormativo: %q", nature, ref)
		}
	}
	if latin(flatRateReference, 100) != flatRateReference {
		t.Errorf("flat rate reference does not fit RiferimentoNormativo")
	}
}

func TestSplitVAT(t *testing.T) {
	cases := []struct {
		vat, country string
		want         taxID
	}{
		{"DE123456789", "DE", taxID{"DE", "123456789"}},
		{"ATU12345678", "AT", taxID{"AT", "U12345678"}},
		{"EL123456789", "GR", taxID{"EL", "123456789"}},
		{"09876543210", "IT", taxID{"IT", "09876543210"}},
		{"GB123456789", "GB", taxID{"GB", "123456789"}},
		{"CHE123456789", "CH", taxID{"CH", "CHE123456789"}},
		{"123456789", "US", taxID{"US", "123456789"}},
	}
	for _, tc := range cases {
		if got := splitVAT(tc.vat, tc.country); got != tc.want {
			t.Errorf("splitVAT(%q, %q) = %v, want %v", tc.vat, tc.country, got, tc.want)
		}
	}
}

func TestStampDue(t *testing.T) {
	entry := func(category, taxable string) sdk.VATBreakdown {
		return sdk.VATBreakdown{Category: category, Taxable: taxable}
	}
	cases := []struct {
		name      string
		breakdown []sdk.VATBreakdown
		natures   []string
		want      bool
	}{
		{"taxed only", []sdk.VATBreakdown{entry("S", "1000.00")}, []string{""}, false},
		{"exempt at the threshold", []sdk.VATBreakdown{entry("E", "77.47")}, []string{"N4"}, false},
		{"exempt above it", []sdk.VATBreakdown{entry("E", "77.48")}, []string{"N4"}, true},
		{"not subject above it", []sdk.VATBreakdown{entry("O", "800.00")}, []string{"N2.2"}, true},
		{"outside the scope above it", []sdk.VATBreakdown{entry("AE", "100.00")}, []string{"N2.1"}, true},
		{"export", []sdk.VATBreakdown{entry("G", "5000.00")}, []string{"N3.1"}, false},
		{"intra-EU supply", []sdk.VATBreakdown{entry("K", "5000.00")}, []string{"N3.2"}, false},
		{"domestic reverse charge", []sdk.VATBreakdown{entry("AE", "5000.00")}, []string{"N6.9"}, false},
		{"parts add up", []sdk.VATBreakdown{entry("S", "1000.00"), entry("E", "40.00"), entry("O", "40.00")}, []string{"", "N4", "N2.2"}, true},
		{"export does not count", []sdk.VATBreakdown{entry("G", "1000.00"), entry("E", "40.00")}, []string{"N3.1", "N4"}, false},
	}
	for _, tc := range cases {
		var n numbers
		if got := stampDue(tc.breakdown, tc.natures, &n); got != tc.want || n.err != nil {
			t.Errorf("%s: %v (%v), want %v", tc.name, got, n.err, tc.want)
		}
	}
}

func TestProgressive(t *testing.T) {
	pattern := regexp.MustCompile(`^[0-9A-Z]{10}$`)
	seen := map[string]string{}
	for _, number := range []string{"FT-2026-0001", "FT-2026-0002", "NC-2026-0001", "1", "FT/2026/0001"} {
		p := progressive(number)
		if !pattern.MatchString(p) {
			t.Errorf("progressive(%q) = %q", number, p)
		}
		if progressive(number) != p || progressive(" "+number+" ") != p {
			t.Errorf("progressive(%q) changes", number)
		}
		if other, ok := seen[p[:5]]; ok {
			t.Errorf("%q and %q share the file progressive %s", number, other, p[:5])
		}
		seen[p[:5]] = number
		name := fileName(taxID{"IT", "01234567890"}, p)
		if name != "IT01234567890_"+p[:5]+".xml" {
			t.Errorf("file name %q", name)
		}
	}
}

func TestNumbers(t *testing.T) {
	var n numbers
	for in, want := range map[string]string{"100": "100.00", "12.5": "12.50", "-3.00": "-3.00", "0": "0.00"} {
		if got := n.amount("x", in); got != want {
			t.Errorf("amount(%q) = %q, want %q", in, got, want)
		}
	}
	if n.err != nil {
		t.Fatal(n.err)
	}
	for _, bad := range []string{"1.234", "x", "100000000000.00"} {
		var n numbers
		n.amount("x", bad)
		if n.err == nil {
			t.Errorf("amount(%q) has no error", bad)
		}
	}
	for in, want := range map[string]string{"2": "2.00", "0.125": "0.125", "1.123456789": "1.12345679", "3.10": "3.10", "1.50000000": "1.50", "-0.125000": "-0.125"} {
		if got := fixed(n.parse("x", in)); got != want {
			t.Errorf("fixed(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"22": "22.00", "5.5": "5.50", "100": "100.00", "4.125": "", "-1": "", "101": ""} {
		if got, _ := rate(in); got != want {
			t.Errorf("rate(%q) = %q, want %q", in, got, want)
		}
	}
}
