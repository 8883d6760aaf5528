package isocodes

import "testing"

func TestIBANAndBIC(t *testing.T) {
	ibans := map[string]bool{
		"DE89 3704 0044 0532 0130 00":   true,
		"es91 2100 0418 4502 0005 1332": true,
		"DE89370400440532013001":        false, // check digits do not match
		"ZZ89370400440532013000":        false, // no such country
		"DE89":                          false,
	}
	for in, want := range ibans {
		if got := IsIBAN(NormalizeIBAN(in)); got != want {
			t.Errorf("IsIBAN(%q) = %v, want %v", in, got, want)
		}
	}
	bics := map[string]bool{"COBADEFFXXX": true, "CAIXESBB": true, "CAIXZZBB": false, "CAIX": false}
	for in, want := range bics {
		if got := IsBIC(in); got != want {
			t.Errorf("IsBIC(%q) = %v, want %v", in, got, want)
		}
	}
}
