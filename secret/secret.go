// Package secret seals values that must not be stored readable, with
// AES-256-GCM under a ring of keys: a value is sealed under the newest key,
// with a random nonce, and names the key it was sealed under, so that it
// still opens after a newer key is added; a value sealed twice gives two
// different texts, and a text that was altered or sealed under a key the
// ring lacks does not open.
//
// A sealed text is "v2.", the key's id, ".", and the base64url of the nonce
// followed by the ciphertext and its tag; "v2.<id>." is authenticated with
// it. Texts of the first format ("v1." and the base64url, from when there
// was one key and no id) still open, with whichever key of the ring sealed
// them.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// KeySize is the size of a key: 32 bytes, for AES-256.
const KeySize = 32

// The prefixes of the formats of a sealed text.
const (
	prefixV1 = "v1."
	prefixV2 = "v2."
)

// keyIDPattern is what a key id may be: it is written into every value
// sealed under the key.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// Key is one key of a ring: its id and its KeySize bytes.
type Key struct {
	ID     string
	Secret []byte
}

// ringKey is a key ready to seal and open.
type ringKey struct {
	id   string
	aead cipher.AEAD
}

// Box seals values under the newest key of its ring and opens values
// sealed under any of its keys.
type Box struct {
	keys []ringKey // newest first
}

// KeyID is the id of a key that was given none (KONTOR_ENCRYPTION_KEY, the
// generated key file): "k" and 8 hex digits of a hash of the key, the same
// for the same key wherever it is configured, and telling nothing useful
// about it.
func KeyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("kontor key id\x00"), key...))
	return "k" + hex.EncodeToString(sum[:4])
}

// NewBox returns a box for one key of KeySize bytes, whose id is KeyID.
func NewBox(key []byte) (*Box, error) {
	return NewRing(Key{ID: KeyID(key), Secret: key})
}

// NewRing returns a box for keys, newest first: it seals under the first
// and opens with any. Ids must be unique, 1 to 32 letters, digits, _ or -.
func NewRing(keys ...Key) (*Box, error) {
	if len(keys) == 0 {
		return nil, errors.New("secret: no key")
	}
	b := &Box{}
	seen := map[string]bool{}
	for _, k := range keys {
		if !keyIDPattern.MatchString(k.ID) {
			return nil, fmt.Errorf("secret: the key id %q must be 1 to 32 letters, digits, _ or -", k.ID)
		}
		if seen[k.ID] {
			return nil, fmt.Errorf("secret: the key id %q is given twice", k.ID)
		}
		seen[k.ID] = true
		if len(k.Secret) != KeySize {
			return nil, fmt.Errorf("secret: the key %s must be %d bytes, not %d", k.ID, KeySize, len(k.Secret))
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		b.keys = append(b.keys, ringKey{id: k.ID, aead: aead})
	}
	return b, nil
}

// NewestID is the id of the key values are sealed under.
func (b *Box) NewestID() string {
	return b.keys[0].id
}

// IDs are the ids of the ring's keys, newest first.
func (b *Box) IDs() []string {
	ids := make([]string, len(b.keys))
	for i, k := range b.keys {
		ids[i] = k.id
	}
	return ids
}

// Seal returns the value sealed under the newest key, with a new random
// nonce.
func (b *Box) Seal(value []byte) string {
	k := b.keys[0]
	header := prefixV2 + k.id + "."
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(value)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("secret: no randomness: " + err.Error())
	}
	return header + base64.RawURLEncoding.EncodeToString(k.aead.Seal(nonce, nonce, value, []byte(header)))
}

// Open returns the value of a text Seal wrote, under any key of the ring.
// A text that was altered, or sealed under a key the ring lacks, is an
// error.
func (b *Box) Open(sealed string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(sealed, prefixV2); ok {
		id, raw, ok := strings.Cut(rest, ".")
		if !ok {
			return nil, errors.New("secret: the sealed value is damaged")
		}
		for _, k := range b.keys {
			if k.id == id {
				return open(k.aead, raw, []byte(prefixV2+id+"."))
			}
		}
		return nil, fmt.Errorf("secret: the value is sealed under the key %q, which is not configured (KONTOR_ENCRYPTION_KEYS)", id)
	}
	if raw, ok := strings.CutPrefix(sealed, prefixV1); ok {
		var err error
		for _, k := range b.keys {
			var value []byte
			if value, err = open(k.aead, raw, nil); err == nil {
				return value, nil
			}
		}
		return nil, err
	}
	return nil, errors.New("secret: not a sealed value")
}

// open opens the base64url of a nonce and ciphertext with aead.
func open(aead cipher.AEAD, raw string, header []byte) ([]byte, error) {
	data, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(data) < aead.NonceSize()+aead.Overhead() {
		return nil, errors.New("secret: the sealed value is damaged")
	}
	n := aead.NonceSize()
	value, err := aead.Open(nil, data[:n], data[n:], header)
	if err != nil {
		return nil, errors.New("secret: the sealed value was altered or does not open with this key")
	}
	return value, nil
}

// IsSealed reports whether s looks like a sealed text, of either format.
func IsSealed(s string) bool {
	return strings.HasPrefix(s, prefixV2) || strings.HasPrefix(s, prefixV1)
}

// Current reports whether the text is sealed under the newest key.
func (b *Box) Current(sealed string) bool {
	return strings.HasPrefix(sealed, prefixV2+b.keys[0].id+".")
}

// Reseal returns the text sealed under the newest key: unchanged when it
// already is, else opened and sealed again. A text that does not open is
// an error.
func (b *Box) Reseal(sealed string) (string, bool, error) {
	if b.Current(sealed) {
		return sealed, false, nil
	}
	value, err := b.Open(sealed)
	if err != nil {
		return sealed, false, err
	}
	return b.Seal(value), true, nil
}

// ParseKey reads a key written as standard base64 (44 characters) or hex
// (64 characters).
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*KeySize {
		if key, err := hex.DecodeString(s); err == nil {
			return key, nil
		}
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("secret: the key must be %d random bytes in base64 (e.g. `openssl rand -base64 32`) or hex", KeySize)
	}
	return key, nil
}

// ParseKeys reads a ring written as comma-separated keys, newest first,
// each "id:key" or just "key" (whose id is then KeyID), e.g.
// "2027:3q2+7w…=,2026:q83v…=".
func ParseKeys(s string) ([]Key, error) {
	var keys []Key
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		id, raw, named := strings.Cut(item, ":")
		if !named {
			raw = id
		}
		key, err := ParseKey(raw)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		if !named {
			id = KeyID(key)
		}
		id = strings.TrimSpace(id)
		if !keyIDPattern.MatchString(id) {
			return nil, fmt.Errorf("key %d: the id %q must be 1 to 32 letters, digits, _ or -", i+1, id)
		}
		keys = append(keys, Key{ID: id, Secret: key})
	}
	if len(keys) == 0 {
		return nil, errors.New("no key given")
	}
	if _, err := NewRing(keys...); err != nil {
		return nil, err
	}
	return keys, nil
}

// ReadKeyFile reads the key kept in the file at path; a missing file is an
// error that matches os.ErrNotExist.
func ReadKeyFile(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := ParseKey(string(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}

// LoadOrCreateKeyFile reads the key kept in the file at path, creating the
// file with a new random key (readable by its owner only) when there is
// none. created says it was made now.
func LoadOrCreateKeyFile(path string) (key []byte, created bool, err error) {
	key, err = ReadKeyFile(path)
	if err == nil {
		return key, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return LoadOrCreateKeyFile(path) // another process made it first
		}
		return nil, false, err
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		return nil, false, err
	}
	return key, true, f.Sync()
}
