package hooks

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/kontor-app/kontor/secret"
)

// The ring is KONTOR_ENCRYPTION_KEYS, then KONTOR_ENCRYPTION_KEY, then the
// data directory's key: generated only when nothing is configured, and
// kept as the oldest key when something is, so that what it sealed still
// opens.
func TestKeyRing(t *testing.T) {
	a, b, c := bytes.Repeat([]byte{0xa}, 32), bytes.Repeat([]byte{0xb}, 32), bytes.Repeat([]byte{0xc}, 32)
	b64 := base64.StdEncoding.EncodeToString
	cases := []struct {
		name    string
		env     map[string]string
		keyFile []byte // written before, nil for none
		want    []string
		created bool // the key file exists afterwards though none was written
	}{
		{"nothing configured: generated", nil, nil, nil, true},
		{"nothing configured: the file", nil, c, []string{secret.KeyID(c)}, false},
		{"one key", map[string]string{"KONTOR_ENCRYPTION_KEY": b64(a)}, nil, []string{secret.KeyID(a)}, false},
		{"ring, old key, file", map[string]string{"KONTOR_ENCRYPTION_KEYS": "new:" + b64(b), "KONTOR_ENCRYPTION_KEY": b64(a)}, c,
			[]string{"new", secret.KeyID(a), secret.KeyID(c)}, false},
		{"the same key twice", map[string]string{"KONTOR_ENCRYPTION_KEYS": "2026:" + b64(a), "KONTOR_ENCRYPTION_KEY": b64(a)}, a,
			[]string{"2026"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app, err := tests.NewTestApp(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer app.Cleanup()
			path := filepath.Join(app.DataDir(), keyFile)
			os.Remove(path)
			if tc.keyFile != nil {
				if err := os.WriteFile(path, []byte(b64(tc.keyFile)+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := ConfigFromEnv(func(k string) string { return tc.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			box, err := keyRing(app, cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, statErr := os.Stat(path)
			if tc.created {
				generated, err := secret.ReadKeyFile(path)
				if err != nil {
					t.Fatalf("no key file generated: %v", err)
				}
				tc.want = []string{secret.KeyID(generated)}
			} else if tc.keyFile == nil && statErr == nil {
				t.Error("a key file was generated although a key is configured")
			}
			if got := strings.Join(box.IDs(), ","); got != strings.Join(tc.want, ",") {
				t.Fatalf("ring %s, want %v", got, tc.want)
			}
			if !strings.HasPrefix(box.Seal([]byte("x")), "v2."+tc.want[0]+".") {
				t.Error("not sealed under the newest key")
			}
			// a value of the first format, sealed under the file's key
			// before there were ids, still opens
			if tc.keyFile != nil {
				if v, err := box.Open(sealV1(t, tc.keyFile, []byte("DE89"))); err != nil || string(v) != "DE89" {
					t.Errorf("first format: %q, %v", v, err)
				}
			}
		})
	}

	bad := Config{EncryptionKeys: []secret.Key{{ID: "a", Secret: a[:16]}}}
	app, _ := tests.NewTestApp(t.TempDir())
	defer app.Cleanup()
	if box := secrets(app, bad); box != nil {
		t.Error("a short key made a ring")
	}
}

func sealV1(t *testing.T, key, value []byte) string {
	t.Helper()
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	nonce := make([]byte, aead.NonceSize())
	return "v1." + base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, value, nil))
}
