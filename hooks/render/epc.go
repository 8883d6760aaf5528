package render

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/isocodes"
	"github.com/kontor-app/kontor/money"
)

// EPC is a SEPA credit transfer to print as an EPC QR code (EPC069-12,
// "GiroCode"): what a banking app needs to pre-fill a transfer in euros.
type EPC struct {
	BIC        string // optional in version 002
	Name       string // beneficiary, at most 70 characters
	IBAN       string
	Amount     string // euros, a decimal string from 0.01 to 999999999.99
	Remittance string // unstructured remittance information, at most 140 characters
}

// Limits of EPC069-12 version 002.
const (
	epcMaxName       = 70
	epcMaxRemittance = 140
	epcMaxBytes      = 331
)

var (
	epcMinAmount = decimal.RequireFromString("0.01")
	epcMaxAmount = decimal.RequireFromString("999999999.99")
)

// EPCPayload returns the text of the EPC QR code, lines separated by LF:
//
//	BCD                  service tag
//	002                  version
//	1                    character set: UTF-8
//	SCT                  SEPA credit transfer
//	BIC                  (may be empty)
//	beneficiary name
//	IBAN
//	EUR12.34             amount
//	                     purpose (empty)
//	                     structured reference (empty)
//	remittance           unstructured remittance information
//
// The structured and unstructured references exclude each other; Kontor
// uses the unstructured one for the invoice number. The trailing
// beneficiary-to-originator line is left out, as the standard allows.
func EPCPayload(p EPC) (string, error) {
	name := strings.TrimSpace(p.Name)
	iban := isocodes.NormalizeIBAN(p.IBAN)
	bic := strings.ToUpper(strings.TrimSpace(p.BIC))
	remittance := strings.TrimSpace(p.Remittance)

	switch {
	case name == "":
		return "", errors.New("epc: the beneficiary name is required")
	case utf8.RuneCountInString(name) > epcMaxName:
		return "", errors.New("epc: the beneficiary name has more than 70 characters")
	case !isocodes.IsIBAN(iban):
		return "", errors.New("epc: the IBAN is not valid")
	case bic != "" && !isocodes.IsBIC(bic):
		return "", errors.New("epc: the BIC is not valid")
	case utf8.RuneCountInString(remittance) > epcMaxRemittance:
		return "", errors.New("epc: the remittance information has more than 140 characters")
	case strings.ContainsAny(name+remittance, "\r\n"):
		return "", errors.New("epc: a field contains a line break")
	case !utf8.ValidString(name + remittance):
		return "", errors.New("epc: a field is not valid UTF-8")
	}

	amount, err := money.Parse(p.Amount)
	switch {
	case err != nil:
		return "", errors.New("epc: the amount is not a decimal number")
	case money.Places(amount) > 2:
		return "", errors.New("epc: the amount has more than two decimals")
	case amount.LessThan(epcMinAmount) || amount.GreaterThan(epcMaxAmount):
		return "", errors.New("epc: the amount must be from 0.01 to 999999999.99 euros")
	}

	payload := strings.Join([]string{
		"BCD", "002", "1", "SCT",
		bic, name, iban, "EUR" + amount.StringFixed(2),
		"", "", remittance,
	}, "\n")
	if len(payload) > epcMaxBytes {
		return "", errors.New("epc: the payload is longer than 331 bytes")
	}
	return payload, nil
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// EPCQRSVG draws the EPC QR code ("GiroCode") of a SEPA credit transfer
// in euros as inline SVG markup, built from the code's modules only: the
// same code the PDF prints, for a web page.
func EPCQRSVG(beneficiary, bic, iban, amount, reference string) (string, error) {
	payload, err := EPCPayload(EPC{BIC: bic, Name: truncateRunes(beneficiary, epcMaxName), IBAN: strings.ReplaceAll(iban, " ", ""),
		Amount: amount, Remittance: truncateRunes(reference, epcMaxRemittance)})
	if err != nil {
		return "", err
	}
	code, err := qrCode(payload)
	if err != nil {
		return "", err
	}
	return qrSVG(code), nil
}
