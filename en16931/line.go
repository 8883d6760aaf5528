package en16931

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/money"
)

// MaxLines is the most lines one invoice may have.
const MaxLines = 2000

// DefaultUnitCode is "one" (piece) in UN/ECE Recommendation 20.
const DefaultUnitCode = "C62"

var (
	unitCodePattern = regexp.MustCompile(`^[A-Z0-9]{1,3}$`)
	maxQuantity     = decimal.NewFromInt(1_000_000_000)
	maxUnitPrice    = decimal.NewFromInt(100_000_000_000)
)

// Line is one invoice line (BG-25). The amounts at the end are computed by
// Compute and never taken from a client.
type Line struct {
	Description     string          // BT-153 item name
	Quantity        decimal.Decimal // BT-129 invoiced quantity
	UnitCode        string          // BT-130 unit of measure (UN/ECE rec. 20)
	UnitPrice       decimal.Decimal // BT-146 item net price, before the line discount
	DiscountPercent decimal.Decimal // BT-138 line allowance percentage, 0 for none
	VATCategory     string          // BT-151 invoiced item VAT category code
	VATRate         decimal.Decimal // BT-152 invoiced item VAT rate, percent
	ExemptionReason string          // BT-120 of the line's VAT breakdown, when its category needs one

	DiscountAmount decimal.Decimal // BT-136 line allowance amount (computed)
	NetAmount      decimal.Decimal // BT-131 invoice line net amount (computed)
}

// lineJSON is how a line travels in the API and is stored: every number is
// a decimal string.
type lineJSON struct {
	Description     string `json:"description"`
	Quantity        string `json:"quantity"`
	UnitCode        string `json:"unit_code"`
	UnitPrice       string `json:"unit_price"`
	DiscountPercent string `json:"discount_percent,omitempty"`
	VATCategory     string `json:"vat_category"`
	VATRate         string `json:"vat_rate"`
	ExemptionReason string `json:"exemption_reason,omitempty"`
	DiscountAmount  string `json:"discount_amount,omitempty"`
	NetAmount       string `json:"net_amount"`
}

// MarshalJSON writes the line with decimal strings.
func (l Line) MarshalJSON() ([]byte, error) {
	out := lineJSON{
		Description:     l.Description,
		Quantity:        l.Quantity.String(),
		UnitCode:        l.UnitCode,
		UnitPrice:       money.Plain(l.UnitPrice, 2),
		VATCategory:     l.VATCategory,
		VATRate:         l.VATRate.String(),
		ExemptionReason: l.ExemptionReason,
		NetAmount:       money.Amount(l.NetAmount),
	}
	if !l.DiscountPercent.IsZero() {
		out.DiscountPercent = l.DiscountPercent.String()
		out.DiscountAmount = money.Amount(l.DiscountAmount)
	}
	return json.Marshal(out)
}

// FieldError is one problem with one field of one line.
type FieldError struct {
	Line    int    // 0-based index of the line
	Field   string // the line's JSON field name
	Message string // a sentence for a person, naming the line (1-based)
}

// Errors lists every problem found in the lines.
type Errors []FieldError

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, fe := range e {
		msgs[i] = fe.Message
	}
	return strings.Join(msgs, " ")
}

// ParseLines reads the lines of an invoice from JSON (an array of objects
// whose numbers are decimal strings or JSON numbers) and checks each of them.
// It returns every problem at once, so a form can mark all fields.
func ParseLines(raw []byte) ([]Line, Errors) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}

	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var items []map[string]any
	if err := dec.Decode(&items); err != nil {
		return nil, Errors{{Line: -1, Message: "Lines must be a list of line objects."}}
	}
	if len(items) > MaxLines {
		return nil, Errors{{Line: -1, Message: fmt.Sprintf("An invoice can have at most %d lines.", MaxLines)}}
	}

	lines := make([]Line, len(items))
	var errs Errors
	for i, item := range items {
		var lineErrs Errors
		lines[i], lineErrs = parseLine(i, item)
		errs = append(errs, lineErrs...)
	}
	if len(errs) == 0 {
		errs = checkReasons(lines)
	}
	return lines, errs
}

func parseLine(i int, item map[string]any) (Line, Errors) {
	var errs Errors
	bad := map[string]bool{}
	fail := func(field, format string, args ...any) {
		if bad[field] {
			return // one message a field
		}
		bad[field] = true
		errs = append(errs, FieldError{Line: i, Field: field, Message: fmt.Sprintf("Line %d: ", i+1) + fmt.Sprintf(format, args...)})
	}
	text := func(field string) string {
		v, _ := item[field].(string)
		return strings.TrimSpace(v)
	}
	number := func(field string, optional bool) decimal.Decimal {
		v, ok := item[field]
		if !ok || v == nil || v == "" {
			if !optional {
				fail(field, "%s is required.", fieldLabel(field))
			}
			return decimal.Zero
		}
		d, err := money.Parse(v)
		if err != nil {
			fail(field, "%s must be a decimal number like 12.50.", fieldLabel(field))
		}
		return d
	}

	l := Line{
		Description:     text("description"),
		UnitCode:        strings.ToUpper(text("unit_code")),
		VATCategory:     strings.ToUpper(text("vat_category")),
		ExemptionReason: text("exemption_reason"),
		Quantity:        number("quantity", false),
		UnitPrice:       number("unit_price", false),
		DiscountPercent: number("discount_percent", true),
		VATRate:         number("vat_rate", true),
	}
	if l.UnitCode == "" {
		l.UnitCode = DefaultUnitCode
	}

	switch {
	case l.Description == "":
		fail("description", "a description is required.")
	case len([]rune(l.Description)) > 1000:
		fail("description", "the description can have at most 1000 characters.")
	}
	if !unitCodePattern.MatchString(l.UnitCode) {
		fail("unit_code", "unit must be a UN/ECE Recommendation 20 code such as C62 (piece), HUR (hour) or DAY.")
	}
	switch {
	case l.Quantity.IsZero():
		fail("quantity", "quantity must not be zero.")
	case l.Quantity.Abs().GreaterThan(maxQuantity):
		fail("quantity", "quantity is too large.")
	case money.Places(l.Quantity) > 6:
		fail("quantity", "quantity can have at most 6 decimals.")
	}
	switch {
	case l.UnitPrice.IsNegative():
		fail("unit_price", "unit price must not be negative; use a negative quantity or a credit note instead.")
	case l.UnitPrice.GreaterThan(maxUnitPrice):
		fail("unit_price", "unit price is too large.")
	case money.Places(l.UnitPrice) > 6:
		fail("unit_price", "unit price can have at most 6 decimals.")
	}
	if l.DiscountPercent.IsNegative() || l.DiscountPercent.GreaterThan(hundred) || money.Places(l.DiscountPercent) > 2 {
		fail("discount_percent", "discount must be a percentage from 0 to 100 with at most 2 decimals.")
	}

	switch {
	case l.VATCategory == "":
		fail("vat_category", "a VAT category is required (S standard, Z zero, E exempt, AE reverse charge, K intra-EU supply, G export, O not subject, L, M).")
	case !IsCategory(l.VATCategory):
		fail("vat_category", "%q is not a VAT category; use S, Z, E, AE, K, G, O, L or M.", l.VATCategory)
	case l.VATRate.IsNegative() || l.VATRate.GreaterThan(hundred) || money.Places(l.VATRate) > 2:
		fail("vat_rate", "VAT rate must be a percentage from 0 to 100 with at most 2 decimals.")
	case l.VATCategory == StandardRate && !l.VATRate.IsPositive():
		fail("vat_rate", "a standard-rated line (S) needs a VAT rate above 0 %%.")
	case NeedsZeroRate(l.VATCategory) && !l.VATRate.IsZero():
		fail("vat_rate", "VAT category %s is charged at 0 %%.", l.VATCategory)
	}
	if l.VATCategory == Exempt && l.ExemptionReason == "" {
		fail("exemption_reason", "an exempt line (E) needs the exemption reason, e.g. the article of the law that exempts it.")
	}
	if !NeedsReason(l.VATCategory) && l.ExemptionReason != "" && IsCategory(l.VATCategory) {
		fail("exemption_reason", "only exempt, reverse-charge, intra-EU, export and not-subject lines carry an exemption reason.")
	}
	if len([]rune(l.ExemptionReason)) > 300 {
		fail("exemption_reason", "the exemption reason can have at most 300 characters.")
	}
	return l, errs
}

// checkReasons enforces one exemption reason per VAT breakdown entry
// (EN 16931 has one BT-120 per category and rate).
func checkReasons(lines []Line) Errors {
	first := map[string]int{}
	var errs Errors
	for i, l := range lines {
		if l.ExemptionReason == "" {
			continue
		}
		key := l.VATCategory + "/" + l.VATRate.String()
		j, seen := first[key]
		if !seen {
			first[key] = i
			continue
		}
		if lines[j].ExemptionReason != l.ExemptionReason {
			errs = append(errs, FieldError{Line: i, Field: "exemption_reason", Message: fmt.Sprintf(
				"Line %d: all %s lines must share one exemption reason; line %d says %q.", i+1, l.VATCategory, j+1, lines[j].ExemptionReason)})
		}
	}
	return errs
}

func fieldLabel(field string) string {
	switch field {
	case "unit_price":
		return "unit price"
	case "discount_percent":
		return "discount"
	case "vat_rate":
		return "VAT rate"
	}
	return field
}
