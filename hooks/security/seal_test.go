package security_test

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"testing"
)

// sealV1 seals the way Kontor did before key ids: "v1." and the base64url
// of nonce and ciphertext, under one key.
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
	return "v1." + base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, value, nil))
}
