package secret

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
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
		"no prefix":  strings.TrimPrefix(s1, prefix),
		"not base64": prefix + "!!!",
		"too short":  prefix + "AAAA",
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
