package invoicing

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/rawsql"
)

// sellerFields and buyerFields are what an issued document freezes of its
// workspace and its client: what stood on it the day it was issued, whatever
// changes later.
var (
	sellerFields = []string{"name", "address_line", "city", "postal_code", "country", "vat_id", "tax_id",
		"iban", "bic", "email", "phone", "contact_name", "electronic_address", "electronic_address_scheme", "currency", "logo", "tax_regime"}
	buyerFields = []string{"name", "email", "address_line", "city", "postal_code", "country", "vat_id", "tax_id",
		"electronic_address", "electronic_address_scheme"}
)

// party is a seller or a buyer as issuing checks it: field name to text.
type party map[string]string

// seriesRule is the series a document is numbered in.
type seriesRule struct {
	ID, Code, Pattern string
	YearlyReset       bool
}

// issueFacts are what issuing reads besides the draft: its seller, buyer and
// series. A buyer or series that is missing or of another workspace is nil.
type issueFacts struct {
	seller, buyer    party
	sellerSnapshot   types.JSONRaw // sellerFields as read, frozen as they are
	buyerSnapshot    types.JSONRaw // the client's id and buyerFields, likewise
	paymentTermsDays int
	series           *seriesRule
}

// issueFactsColumns reads the facts of the invoice row aliased r, the
// parties as JSON objects of text (the snapshots to freeze), for rawsql (no
// placeholders, no builder syntax): issuing is on the hot path, and every
// statement costs.
var issueFactsColumns = fmt.Sprintf(`
	(SELECT json_object(%s) FROM workspaces WHERE id = r.workspace) AS kontor_seller,
	(SELECT payment_terms_days FROM workspaces WHERE id = r.workspace) AS kontor_payment_terms_days,
	(SELECT json_object('id', id, %s) FROM clients WHERE id = r.client AND workspace = r.workspace) AS kontor_buyer,
	(SELECT json_object('id', id, 'code', code, 'pattern', pattern, 'yearly_reset', CAST(yearly_reset AS TEXT))
		FROM series WHERE id = r.series AND workspace = r.workspace) AS kontor_series`,
	jsonPairs(sellerFields), jsonPairs(buyerFields))

func jsonPairs(fields []string) string {
	pairs := make([]string, len(fields))
	for i, f := range fields {
		// quoted: a field may be named like an SQL keyword
		pairs[i] = fmt.Sprintf("'%s', `%s`", f, f)
	}
	return strings.Join(pairs, ", ")
}

// loadIssueFacts reads the seller, buyer and series of a saved draft.
func loadIssueFacts(app core.App, draft *core.Record) (issueFacts, error) {
	row, err := rawsql.Row(context.Background(), app.ConcurrentDB(), "SELECT "+issueFactsColumns+" FROM invoices r WHERE r.id = ?", draft.Id)
	if err != nil {
		return issueFacts{}, err
	}
	return readIssueFacts(draft, row)
}

// readIssueFacts decodes the facts read with issueFactsColumns.
func readIssueFacts(draft *core.Record, row dbx.NullStringMap) (issueFacts, error) {
	var facts issueFacts
	var err error
	if facts.seller, err = decodeParty(row["kontor_seller"]); err != nil {
		return facts, fmt.Errorf("workspace of invoice %s: %w", draft.Id, err)
	}
	if facts.seller == nil {
		return facts, fmt.Errorf("invoice %s: its workspace is gone", draft.Id)
	}
	facts.sellerSnapshot = types.JSONRaw(row["kontor_seller"].String)
	facts.paymentTermsDays, _ = strconv.Atoi(row["kontor_payment_terms_days"].String)
	if facts.buyer, err = decodeParty(row["kontor_buyer"]); err != nil {
		return facts, err
	}
	facts.buyerSnapshot = types.JSONRaw(row["kontor_buyer"].String)
	series, err := decodeParty(row["kontor_series"])
	if err != nil {
		return facts, err
	}
	if series != nil {
		facts.series = &seriesRule{ID: series["id"], Code: series["code"], Pattern: series["pattern"],
			YearlyReset: series["yearly_reset"] == "1" || series["yearly_reset"] == "true"}
	}
	return facts, nil
}

// decodeParty reads a JSON object of text values of a row; nil for none.
func decodeParty(raw sql.NullString) (party, error) {
	if !raw.Valid {
		return nil, nil
	}
	var p party
	if err := json.Unmarshal([]byte(raw.String), &p); err != nil {
		return nil, err
	}
	return p, nil
}
