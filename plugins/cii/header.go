package cii

import (
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// agreement writes the references and the parties.
func (d *doc) agreement() {
	w, inv := d.w, d.inv
	w.Open("ram:ApplicableHeaderTradeAgreement")
	w.Leaf("ram:BuyerReference", inv.BuyerReference) // BT-10
	d.party("ram:SellerTradeParty", inv.Seller, true)
	d.party("ram:BuyerTradeParty", inv.Buyer, false)
	if inv.OrderReference != "" {
		w.Open("ram:BuyerOrderReferencedDocument")
		w.Leaf("ram:IssuerAssignedID", inv.OrderReference) // BT-13
		w.Close()
	}
	w.Close()
}

// party writes the seller (BG-4) or the buyer (BG-7).
func (d *doc) party(name string, p sdk.Party, seller bool) {
	w := d.w
	w.Open(name)
	if id := p.Identifier; id != nil && id.ID != "" {
		if id.Scheme == "" {
			w.Leaf("ram:ID", id.ID) // BT-29, BT-46
		} else {
			w.Leaf("ram:GlobalID", id.ID, "schemeID", id.Scheme)
		}
	}
	w.Leaf("ram:Name", p.Name) // BT-27, BT-44
	if p.LegalRegistrationID != "" || p.TradingName != "" {
		w.Open("ram:SpecifiedLegalOrganization")
		w.Leaf("ram:ID", p.LegalRegistrationID)          // BT-30, BT-47
		w.Leaf("ram:TradingBusinessName", p.TradingName) // BT-28, BT-45
		w.Close()
	}
	if c := p.Contact; c != nil && (c.Name != "" || c.Phone != "" || c.Email != "") {
		w.Open("ram:DefinedTradeContact")
		w.Leaf("ram:PersonName", c.Name)
		if c.Phone != "" {
			w.Open("ram:TelephoneUniversalCommunication")
			w.Leaf("ram:CompleteNumber", c.Phone)
			w.Close()
		}
		if c.Email != "" {
			w.Open("ram:EmailURIUniversalCommunication")
			w.Leaf("ram:URIID", c.Email)
			w.Close()
		}
		w.Close()
	}
	d.address("ram:PostalTradeAddress", p.Address)
	if ea := p.ElectronicAddress; ea != nil && ea.ID != "" {
		w.Open("ram:URIUniversalCommunication")
		w.Leaf("ram:URIID", ea.ID, "schemeID", ea.Scheme) // BT-34, BT-49
		w.Close()
	}
	if p.VATID != "" {
		d.taxRegistration(p.VATID, "VA") // BT-31, BT-48
	}
	if seller && p.TaxRegistrationID != "" {
		d.taxRegistration(p.TaxRegistrationID, "FC") // BT-32
	}
	w.Close()
}

func (d *doc) taxRegistration(id, scheme string) {
	d.w.Open("ram:SpecifiedTaxRegistration")
	d.w.Leaf("ram:ID", id, "schemeID", scheme)
	d.w.Close()
}

// address writes a postal address (BG-5, BG-8, BG-15).
func (d *doc) address(name string, a sdk.Address) {
	w := d.w
	w.Open(name)
	w.Leaf("ram:PostcodeCode", a.PostalCode)
	w.Leaf("ram:LineOne", a.Line1)
	w.Leaf("ram:LineTwo", a.Line2)
	w.Leaf("ram:CityName", a.City)
	w.Leaf("ram:CountryID", a.Country)
	w.Leaf("ram:CountrySubDivisionName", a.Subdivision)
	w.Close()
}

// delivery writes the delivery information (BG-13); the element is
// mandatory even when empty.
func (d *doc) delivery() {
	w, del := d.w, d.inv.Delivery
	w.Open("ram:ApplicableHeaderTradeDelivery")
	if del != nil {
		if del.PartyName != "" || del.Address != nil {
			w.Open("ram:ShipToTradeParty")
			w.Leaf("ram:Name", del.PartyName) // BT-70
			if del.Address != nil {
				d.address("ram:PostalTradeAddress", *del.Address) // BG-15
			}
			w.Close()
		}
		if del.Date != "" {
			w.Open("ram:ActualDeliverySupplyChainEvent")
			d.dateTime("ram:OccurrenceDateTime", del.Date) // BT-72
			w.Close()
		}
	}
	w.Close()
}

// settlement writes payment, VAT breakdown, allowances, terms, totals and
// the preceding invoices.
func (d *doc) settlement() {
	w, inv := d.w, d.inv
	w.Open("ram:ApplicableHeaderTradeSettlement")
	if p := inv.Payment; p != nil {
		w.Leaf("ram:PaymentReference", p.RemittanceInformation) // BT-83
	}
	w.Leaf("ram:TaxCurrencyCode", inv.VATAccountingCurrency) // BT-6
	w.Leaf("ram:InvoiceCurrencyCode", inv.Currency)          // BT-5
	d.paymentMeans()
	for _, b := range inv.VATBreakdown {
		w.Open("ram:ApplicableTradeTax")
		w.Leaf("ram:CalculatedAmount", b.VAT) // BT-117
		w.Leaf("ram:TypeCode", "VAT")
		w.Leaf("ram:ExemptionReason", b.ExemptionReason) // BT-120
		w.Leaf("ram:BasisAmount", b.Taxable)             // BT-116
		w.Leaf("ram:CategoryCode", b.Category)           // BT-118
		w.Leaf("ram:ExemptionReasonCode", b.ExemptionReasonCode)
		w.Leaf("ram:RateApplicablePercent", b.Rate) // BT-119, also 0 for O (BR-DE-14)
		w.Close()
	}
	d.period(inv.InvoicingPeriod)
	for _, a := range inv.Allowances {
		d.allowanceCharge(a, false, true)
	}
	for _, c := range inv.Charges {
		d.allowanceCharge(c, true, true)
	}
	if inv.PaymentTerms != "" || inv.DueDate != "" {
		w.Open("ram:SpecifiedTradePaymentTerms")
		w.Leaf("ram:Description", inv.PaymentTerms)    // BT-20
		d.dateTime("ram:DueDateDateTime", inv.DueDate) // BT-9
		w.Close()
	}
	d.totals()
	for _, p := range inv.PrecedingInvoices {
		w.Open("ram:InvoiceReferencedDocument")
		w.Leaf("ram:IssuerAssignedID", p.Number) // BT-25
		if p.IssueDate != "" {
			w.Open("ram:FormattedIssueDateTime")
			w.Leaf("qdt:DateTimeString", strings.ReplaceAll(p.IssueDate, "-", ""), "format", "102") // BT-26
			w.Close()
		}
		w.Close()
	}
	w.Close()
}

// paymentMeans writes the payment instructions (BG-16).
func (d *doc) paymentMeans() {
	w, p := d.w, d.inv.Payment
	if p == nil || p.MeansCode == "" {
		return
	}
	w.Open("ram:SpecifiedTradeSettlementPaymentMeans")
	w.Leaf("ram:TypeCode", p.MeansCode)    // BT-81
	w.Leaf("ram:Information", p.MeansText) // BT-82
	if ct := p.CreditTransfer; ct != nil && ct.AccountID != "" {
		w.Open("ram:PayeePartyCreditorFinancialAccount")
		w.Leaf("ram:IBANID", ct.AccountID)        // BT-84
		w.Leaf("ram:AccountName", ct.AccountName) // BT-85
		w.Close()
		if ct.ServiceProviderID != "" {
			w.Open("ram:PayeeSpecifiedCreditorFinancialInstitution")
			w.Leaf("ram:BICID", ct.ServiceProviderID) // BT-86
			w.Close()
		}
	}
	w.Close()
}

// totals writes the document totals (BG-22).
func (d *doc) totals() {
	w, inv, t := d.w, d.inv, d.inv.Totals
	w.Open("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
	w.Leaf("ram:LineTotalAmount", t.LineNet)                        // BT-106
	w.Leaf("ram:ChargeTotalAmount", t.Charges)                      // BT-108
	w.Leaf("ram:AllowanceTotalAmount", t.Allowances)                // BT-107
	w.Leaf("ram:TaxBasisTotalAmount", t.Net)                        // BT-109
	w.Leaf("ram:TaxTotalAmount", t.VAT, "currencyID", inv.Currency) // BT-110
	if inv.VATAccountingCurrency != "" && inv.VATAccountingCurrency != inv.Currency {
		w.Leaf("ram:TaxTotalAmount", t.VATAccounting, "currencyID", inv.VATAccountingCurrency) // BT-111
	}
	w.Leaf("ram:RoundingAmount", t.Rounding)    // BT-114
	w.Leaf("ram:GrandTotalAmount", t.Gross)     // BT-112
	w.Leaf("ram:TotalPrepaidAmount", t.Prepaid) // BT-113
	w.Leaf("ram:DuePayableAmount", t.Payable)   // BT-115
	w.Close()
}
