package proposals

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/en16931"
)

// Snapshot is a proposal as one send froze it: exactly what the buyer is
// shown and signs. Its SHA-256 is the document hash of the version.
type Snapshot struct {
	ProposalID   string                  `json:"proposal"`
	Number       string                  `json:"number"`
	Version      int                     `json:"version"`
	Title        string                  `json:"title"`
	Intro        string                  `json:"intro"`
	Terms        string                  `json:"terms"`
	Lines        []Line                  `json:"lines"`
	Totals       Totals                  `json:"totals"`
	VATBreakdown []en16931.BreakdownJSON `json:"vat_breakdown"`
	Currency     string                  `json:"currency"`
	Language     string                  `json:"language"`
	ValidUntil   string                  `json:"valid_until"`
	SentAt       string                  `json:"sent_at"`
	Seller       map[string]string       `json:"seller"`
	Buyer        map[string]string       `json:"buyer"`
}

// sellerFields and buyerFields are what a snapshot keeps of the workspace
// and the client.
var (
	sellerFields = []string{"name", "address_line", "city", "postal_code", "country", "vat_id", "tax_id", "email", "phone"}
	buyerFields  = []string{"name", "address_line", "city", "postal_code", "country", "vat_id", "email"}
)

// partyOf returns the fields of a record a snapshot keeps.
func partyOf(r *core.Record, fields []string) map[string]string {
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		out[f] = r.GetString(f)
	}
	return out
}

// snapshotJSON is how a snapshot is stored and hashed: its canonical JSON.
func snapshotJSON(s Snapshot) ([]byte, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return canonicalJSON(raw)
}

// readSnapshot reads a stored snapshot; its lines are checked and their
// amounts computed again by the engine.
func readSnapshot(raw string) (Snapshot, error) {
	var s struct {
		Snapshot
		Lines json.RawMessage `json:"lines"`
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return Snapshot{}, err
	}
	lines, errs := parseLines(s.Lines)
	if len(errs) > 0 {
		return Snapshot{}, errs
	}
	compute(lines, s.Language)
	s.Snapshot.Lines = lines
	return s.Snapshot, nil
}

// canonicalJSON writes JSON in one form: object keys sorted, no spaces,
// numbers as written. The same value always gives the same bytes, so its
// hash can be computed again from what is stored.
func canonicalJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// hashOf is the SHA-256 of data, in hex.
func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
