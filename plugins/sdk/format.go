package sdk

import (
	"context"
	"strings"
)

// Format is a plugin of kind "format": it renders a canonical invoice as a
// document, such as an e-invoice XML or an export.
type Format interface {
	Plugin
	// Render renders the invoice. When the invoice lacks something the
	// format needs (an electronic address, a buyer reference), Render
	// returns a Document with an error Issue that says what, and no
	// content: never a document that its validators would refuse. An error
	// is for what is not the invoice's fault; Kontor reports it as a
	// failure of the plugin.
	Render(ctx context.Context, inv *Invoice) (*Document, error)
}

// Document is a rendered document, or the issues that prevented it.
type Document struct {
	// Content is the document itself; empty when an issue is an error.
	Content []byte
	// MediaType is its media type, e.g. "application/xml".
	MediaType string
	// FileName is the name to save it under, e.g. "INV-2026-0001.xml".
	FileName string
	// Issues are the problems found; warnings come with a document.
	Issues []Issue
}

// Issue is one problem an invoice has for a format.
type Issue struct {
	// Severity is SeverityError (no document) or SeverityWarning.
	Severity string `json:"severity"`
	// Rule is the id of the rule at stake, when there is one, e.g.
	// "PEPPOL-EN16931-R020" or "BR-DE-15".
	Rule string `json:"rule,omitempty"`
	// Field is the canonical JSON path of what is missing or wrong, e.g.
	// "seller.electronic_address".
	Field string `json:"field,omitempty"`
	// Term is the EN 16931 business term, e.g. "BT-34".
	Term string `json:"term,omitempty"`
	// Message is a sentence for a person that says what to do.
	Message string `json:"message"`
}

// Severities of an Issue.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Errors returns the issues of severity error.
func (d *Document) Errors() []Issue {
	var out []Issue
	for _, i := range d.Issues {
		if i.Severity == SeverityError {
			out = append(out, i)
		}
	}
	return out
}

// Issues collects issues while a format checks an invoice.
type Issues []Issue

// Error adds an error issue.
func (is *Issues) Error(rule, field, term, message string) {
	*is = append(*is, Issue{Severity: SeverityError, Rule: rule, Field: field, Term: term, Message: message})
}

// Warning adds a warning issue.
func (is *Issues) Warning(rule, field, term, message string) {
	*is = append(*is, Issue{Severity: SeverityWarning, Rule: rule, Field: field, Term: term, Message: message})
}

// HasErrors reports whether an issue is an error.
func (is Issues) HasErrors() bool {
	for _, i := range is {
		if i.Severity == SeverityError {
			return true
		}
	}
	return false
}

// FileName makes a file name from a document number and an extension: the
// characters a file system may refuse become "_".
func FileName(number, ext string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, number)
	if clean == "" {
		clean = "invoice"
	}
	return clean + ext
}
