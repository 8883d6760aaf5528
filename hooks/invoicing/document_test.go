package invoicing

import "testing"

// settle gives what is due and the status: an invoice sent to its client
// stays sent while nothing is paid on it.
func TestSettle(t *testing.T) {
	cases := []struct {
		name                  string
		documentType          string
		gross, credited, paid string
		sent                  bool
		wantStatus, wantDue   string
	}{
		{"nothing paid", DocumentInvoice, "119.00", "", "0.00", false, StatusIssued, "119.00"},
		{"sent, nothing paid", DocumentInvoice, "119.00", "", "0.00", true, StatusSent, "119.00"},
		{"sent, part paid", DocumentInvoice, "119.00", "", "19.00", true, StatusPartiallyPaid, "100.00"},
		{"sent, paid", DocumentInvoice, "119.00", "", "119.00", true, StatusPaid, "0.00"},
		{"sent, part credited", DocumentInvoice, "119.00", "19.00", "0.00", true, StatusSent, "100.00"},
		{"sent, credited in full", DocumentInvoice, "119.00", "119.00", "0.00", true, StatusCancelled, "0.00"},
		{"credit note sent", DocumentCreditNote, "119.00", "", "0.00", true, StatusSent, "119.00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tot := Totals{Gross: c.gross, Credited: c.credited, Paid: c.paid}
			if got := tot.settle(c.documentType, c.sent); got != c.wantStatus || tot.Due != c.wantDue {
				t.Errorf("%s, due %s; want %s, due %s", got, tot.Due, c.wantStatus, c.wantDue)
			}
		})
	}
}
