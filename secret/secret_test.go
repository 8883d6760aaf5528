package secret

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func testBox(t *testing.T, fill byte) *Box {
	t.Helper()
	b, err := NewBox(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpen(t *testing.T) {
	b := testBox(t, 1)
	value := []byte("https://kontor.example/p/secret-token")
	s1, s2 := b.Seal(value), b.Seal(value)
	if s1 == s2 {
		t.Fatal("sealing twice gave the same text; the nonce is not random")
	}
	if strings.Contains(s1, "secret-token") {
		t.Fatal("the sealed text shows the value")
	}
	got, err := b.Open(s1)
	if err != nil || !bytes.Equal(got, value) {
		t.Fatalf("Open = %q, %v", got, err)
	}

	tampered := []byte(s1)
	tampered[len(tampered)-3] ^= 1
	cases := map[string]string{
		"altered":    string(tampered),
		"other key":  testBox(t, 2).Seal(value),
		"no prefix":  strings.TrimPrefix(s1, prefixV2),
		"not base64": prefixV2 + b.NewestID() + ".!!!",
		"too short":  prefixV2 + b.NewestID() + ".AAAA",
		"no key id":  prefixV2 + "AAAA",
		"empty":      "",
	}
	for name, s := range cases {
		if _, err := b.Open(s); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
}

func TestNewBoxKeySize(t *testing.T) {
	if _, err := NewBox(make([]byte, 16)); err == nil {
		t.Fatal("a 16-byte key was taken")
	}
}

func TestParseKey(t *testing.T) {
	key := bytes.Repeat([]byte{0xab}, KeySize)
	cases := []struct {
		in string
		ok bool
	}{
		{base64.StdEncoding.EncodeToString(key), true},
		{" " + base64.StdEncoding.EncodeToString(key) + "\n", true},
		{strings.Repeat("ab", KeySize), true},
		{base64.StdEncoding.EncodeToString(key[:16]), false},
		{"not a key", false},
		{"", false},
	}
	for _, c := range cases {
		got, err := ParseKey(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParseKey(%q) err = %v, want ok %v", c.in, err, c.ok)
			continue
		}
		if c.ok && !bytes.Equal(got, key) {
			t.Errorf("ParseKey(%q) = %x", c.in, got)
		}
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "encryption.key")
	k1, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created || len(k1) != KeySize {
		t.Fatalf("first call: %x, %v, %v", k1, created, err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v, %v", info, err)
	}
	k2, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created || !bytes.Equal(k1, k2) {
		t.Fatalf("second call: %x, %v, %v", k2, created, err)
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreateKeyFile(path); err == nil {
		t.Fatal("a damaged key file was taken")
	}
}

// sealV1 seals the way the first format did: one key, no key id.
func sealV1(t *testing.T, key, value []byte) string {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		t.Fatal(err)
	}
	return prefixV1 + base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, value, nil))
}

// A ring seals under its newest key, names it in the text, opens what any
// of its keys sealed (old texts of the first format too), and reseals
// under the newest key only what is not already.
func TestRing(t *testing.T) {
	oldKey, newKey := bytes.Repeat([]byte{1}, KeySize), bytes.Repeat([]byte{2}, KeySize)
	old, err := NewRing(Key{ID: "2025", Secret: oldKey})
	if err != nil {
		t.Fatal(err)
	}
	ring, err := NewRing(Key{ID: "2026", Secret: newKey}, Key{ID: "2025", Secret: oldKey})
	if err != nil {
		t.Fatal(err)
	}
	value := []byte(`{"secret_key":"sk_live_123"}`)
	underOld := old.Seal(value)
	if !strings.HasPrefix(underOld, "v2.2025.") {
		t.Fatalf("sealed as %q", underOld)
	}
	legacy := sealV1(t, oldKey, value)
	underNew := ring.Seal(value)
	if !strings.HasPrefix(underNew, "v2.2026.") || ring.NewestID() != "2026" {
		t.Fatalf("sealed as %q", underNew)
	}

	for name, s := range map[string]string{"old key": underOld, "first format": legacy, "new key": underNew} {
		got, err := ring.Open(s)
		if err != nil || !bytes.Equal(got, value) {
			t.Errorf("%s: Open = %q, %v", name, got, err)
		}
	}
	if _, err := old.Open(underNew); err == nil || !strings.Contains(err.Error(), `"2026"`) {
		t.Errorf("a key the ring lacks: %v", err)
	}

	steps := []struct {
		name    string
		in      string
		changed bool
	}{
		{"old key", underOld, true},
		{"first format", legacy, true},
		{"newest key", underNew, false},
	}
	for _, st := range steps {
		out, changed, err := ring.Reseal(st.in)
		if err != nil || changed != st.changed || !ring.Current(out) {
			t.Errorf("%s: Reseal = %q, %v, %v", st.name, out, changed, err)
			continue
		}
		// the newest key alone opens everything once resealed
		only, _ := NewRing(Key{ID: "2026", Secret: newKey})
		if v, err := only.Open(out); err != nil || !bytes.Equal(v, value) {
			t.Errorf("%s: the newest key alone gives %q, %v", st.name, v, err)
		}
	}
	if _, _, err := ring.Reseal("v2.2025.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); err == nil {
		t.Error("a damaged text was resealed")
	}
}

// A text whose key id was changed, or whose bytes were, does not open,
// even when the other key is in the ring.
func TestTampered(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	ring, err := NewRing(Key{ID: "a", Secret: key}, Key{ID: "b", Secret: key})
	if err != nil {
		t.Fatal(err)
	}
	sealed := ring.Seal([]byte("DE89370400440532013000"))
	flipped := []byte(sealed)
	flipped[len("v2.a.")+5] ^= 0x01
	cases := map[string]string{
		"key id changed": "v2.b." + strings.TrimPrefix(sealed, "v2.a."),
		"byte flipped":   string(flipped),
		"truncated":      sealed[:len(sealed)-4],
		"unknown key":    "v2.z." + strings.TrimPrefix(sealed, "v2.a."),
	}
	for name, s := range cases {
		if v, err := ring.Open(s); err == nil {
			t.Errorf("%s: opened as %q", name, v)
		}
	}
}

func TestNewRing(t *testing.T) {
	key := bytes.Repeat([]byte{3}, KeySize)
	cases := []struct {
		name string
		keys []Key
		ok   bool
	}{
		{"one", []Key{{"k1", key}}, true},
		{"none", nil, false},
		{"same id twice", []Key{{"k1", key}, {"k1", key}}, false},
		{"id with a dot", []Key{{"k.1", key}}, false},
		{"empty id", []Key{{"", key}}, false},
		{"short key", []Key{{"k1", key[:16]}}, false},
	}
	for _, c := range cases {
		if _, err := NewRing(c.keys...); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if id := KeyID(key); !regexp.MustCompile(`^k[0-9a-f]{8}$`).MatchString(id) || id == KeyID(bytes.Repeat([]byte{4}, KeySize)) {
		t.Errorf("KeyID = %q", id)
	}
	b, _ := NewBox(key)
	if b.NewestID() != KeyID(key) {
		t.Errorf("NewBox id %q", b.NewestID())
	}
}

func TestParseKeys(t *testing.T) {
	k1, k2 := bytes.Repeat([]byte{1}, KeySize), bytes.Repeat([]byte{2}, KeySize)
	b1, h2 := base64.StdEncoding.EncodeToString(k1), strings.Repeat("02", KeySize)
	cases := []struct {
		in   string
		want []string // ids
	}{
		{"2026:" + b1 + ", 2025:" + h2, []string{"2026", "2025"}},
		{b1, []string{KeyID(k1)}},
		{" new:" + b1 + ",," + h2 + " ", []string{"new", KeyID(k2)}},
		{"", nil},
		{"a:" + b1 + ",a:" + h2, nil},
		{"a.b:" + b1, nil},
		{"a:short", nil},
	}
	for _, c := range cases {
		keys, err := ParseKeys(c.in)
		if (err == nil) != (c.want != nil) {
			t.Errorf("ParseKeys(%q): %v", c.in, err)
			continue
		}
		var ids []string
		for _, k := range keys {
			ids = append(ids, k.ID)
		}
		if strings.Join(ids, ",") != strings.Join(c.want, ",") {
			t.Errorf("ParseKeys(%q) ids %v, want %v", c.in, ids, c.want)
		}
	}
}
