package conversions_test

import (
	"testing"

	"github.com/kontor-app/kontor/hooks/conversions"
)

// The normalisation Google asks for before hashing (Data Manager API,
// "Format user data"), with its documented examples first, and the
// hashes as lowercase hex SHA-256.
func TestNormalizeAndHash(t *testing.T) {
	emails := []struct{ in, normalized, hash string }{
		// Google's examples
		{"cloudy.sanfrancisco+shopping@gmail.com", "cloudysanfrancisco@gmail.com", "223ebda6f6889b1494551ba902d9d381daf2f642bae055888e96343d53e9f9c4"},
		{"user.name+NYC@Example.com", "user.name+nyc@example.com", "f109a2a632fbcea5fc82049f50beed3d8621bf9034399f437fb622222acccdac"},
		// googlemail.com like gmail.com; spaces trimmed, inside too
		{"  Jane.Doe+kontor@GoogleMail.com\t", "janedoe@googlemail.com", "338abf9ef1c8793cadc7bcf51ed595338eb727ed9e06ce3d91d566d60b975937"},
		{"Jane Doe@gmail.com", "janedoe@gmail.com", ""},
		// other domains keep their dots and pluses
		{"OWNER@example.com", "owner@example.com", "c8cd3c6427301eaf6665bccacd65ddb614527acc843a15463e3faba57124c351"},
		{"a.b+c@gmail.com.example", "a.b+c@gmail.com.example", ""},
		// not addresses
		{"", "", ""},
		{"no-at.example.com", "", ""},
		{"@gmail.com", "", ""},
		{"+tag@gmail.com", "", ""},
		{"a@b@c", "", ""},
	}
	for _, c := range emails {
		if got := conversions.NormalizeEmail(c.in); got != c.normalized {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", c.in, got, c.normalized)
		}
		if c.hash != "" {
			if got := conversions.HashedEmail(c.in); got != c.hash {
				t.Errorf("HashedEmail(%q) = %s, want %s", c.in, got, c.hash)
			}
		}
		if c.normalized == "" && conversions.HashedEmail(c.in) != "" {
			t.Errorf("HashedEmail(%q) hashes what is not an address", c.in)
		}
	}

	phones := []struct{ in, normalized, hash string }{
		// Google's example, (800)555-0100 in the US, written with its country code
		{"+1 (800) 555-0100", "+18005550100", "fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30"},
		{"+34 600 111 222", "+34600111222", "cb24629d1dbeb6ee24e7c20610896274e8102e67aa6efc2f3a1be2893c38008b"},
		{"+34-600-111-222", "+34600111222", "cb24629d1dbeb6ee24e7c20610896274e8102e67aa6efc2f3a1be2893c38008b"},
		{" +49 (30) 1234.5678 ", "+493012345678", ""},
		// no country code: Kontor does not guess one
		{"(800)555-0100", "", ""},
		{"0034600111222", "", ""},
		{"600111222", "", ""},
		// too short, too long, not digits, a country code starting with 0
		{"+1234567", "", ""},
		{"+1234567890123456", "", ""},
		{"+34 600 ABC 222", "", ""},
		{"+0 600 111 222", "", ""},
		{"", "", ""},
	}
	for _, c := range phones {
		if got := conversions.NormalizePhone(c.in); got != c.normalized {
			t.Errorf("NormalizePhone(%q) = %q, want %q", c.in, got, c.normalized)
		}
		if c.hash != "" {
			if got := conversions.HashedPhone(c.in); got != c.hash {
				t.Errorf("HashedPhone(%q) = %s, want %s", c.in, got, c.hash)
			}
		}
		if c.normalized == "" && conversions.HashedPhone(c.in) != "" {
			t.Errorf("HashedPhone(%q) hashes what is not a number", c.in)
		}
	}

	if got := conversions.Hash(""); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("Hash of nothing %s", got)
	}
}

// A user's GA4 client id comes from their _ga cookie, else from their id.
func TestGAClientID(t *testing.T) {
	for _, c := range []struct{ stored, want string }{
		{"GA1.1.1234567890.1700000000", "1234567890.1700000000"},
		{"GA1.2.987654321.1690000000", "987654321.1690000000"},
		{"1234567890.1700000000", "1234567890.1700000000"},
	} {
		if got := conversions.GAClientID(c.stored, "u1"); got != c.want {
			t.Errorf("GAClientID(%q) = %q, want %q", c.stored, got, c.want)
		}
	}
	a, b := conversions.GAClientID("", "user1"), conversions.GAClientID("", "user2")
	if a == b || a != conversions.GAClientID(" ", "user1") {
		t.Errorf("derived client ids %q %q", a, b)
	}
}
