package ubl

import "github.com/kontor-app/kontor/plugins/sdk"

// party writes the seller (BG-4) or the buyer (BG-7).
func (d *doc) party(name string, p sdk.Party, seller bool) {
	w := d.w
	w.Open(name)
	w.Open("cac:Party")
	if ea := p.ElectronicAddress; ea != nil && ea.ID != "" {
		w.Leaf("cbc:EndpointID", ea.ID, "schemeID", ea.Scheme) // BT-34, BT-49
	}
	if id := p.Identifier; id != nil && id.ID != "" {
		w.Open("cac:PartyIdentification")
		w.Leaf("cbc:ID", id.ID, "schemeID", id.Scheme) // BT-29, BT-46
		w.Close()
	}
	if p.TradingName != "" {
		w.Open("cac:PartyName")
		w.Leaf("cbc:Name", p.TradingName) // BT-28, BT-45
		w.Close()
	}
	d.address("cac:PostalAddress", p.Address)
	if p.VATID != "" {
		taxScheme(d, p.VATID, "VAT") // BT-31, BT-48
	}
	if seller && p.TaxRegistrationID != "" {
		taxScheme(d, p.TaxRegistrationID, "FC") // BT-32
	}
	w.Open("cac:PartyLegalEntity")
	w.Leaf("cbc:RegistrationName", p.Name)         // BT-27, BT-44
	w.Leaf("cbc:CompanyID", p.LegalRegistrationID) // BT-30, BT-47
	w.Close()
	if c := p.Contact; c != nil && (c.Name != "" || c.Phone != "" || c.Email != "") {
		w.Open("cac:Contact")
		w.Leaf("cbc:Name", c.Name)
		w.Leaf("cbc:Telephone", c.Phone)
		w.Leaf("cbc:ElectronicMail", c.Email)
		w.Close()
	}
	w.Close()
	w.Close()
}

func taxScheme(d *doc, id, scheme string) {
	d.w.Open("cac:PartyTaxScheme")
	d.w.Leaf("cbc:CompanyID", id)
	d.w.Open("cac:TaxScheme")
	d.w.Leaf("cbc:ID", scheme)
	d.w.Close()
	d.w.Close()
}

// address writes a postal address (BG-5, BG-8, BG-15).
func (d *doc) address(name string, a sdk.Address) {
	w := d.w
	w.Open(name)
	w.Leaf("cbc:StreetName", a.Line1)
	w.Leaf("cbc:AdditionalStreetName", a.Line2)
	w.Leaf("cbc:CityName", a.City)
	w.Leaf("cbc:PostalZone", a.PostalCode)
	w.Leaf("cbc:CountrySubentity", a.Subdivision)
	w.Open("cac:Country")
	w.Leaf("cbc:IdentificationCode", a.Country)
	w.Close()
	w.Close()
}

// delivery writes the delivery information (BG-13).
func (d *doc) delivery() {
	del := d.inv.Delivery
	if del == nil || del.Date == "" && del.Address == nil && del.PartyName == "" {
		return
	}
	w := d.w
	w.Open("cac:Delivery")
	w.Leaf("cbc:ActualDeliveryDate", del.Date)
	if del.Address != nil {
		w.Open("cac:DeliveryLocation")
		d.address("cac:Address", *del.Address)
		w.Close()
	}
	if del.PartyName != "" {
		w.Open("cac:DeliveryParty")
		w.Open("cac:PartyName")
		w.Leaf("cbc:Name", del.PartyName)
		w.Close()
		w.Close()
	}
	w.Close()
}

// paymentMeans writes the payment instructions (BG-16); in a credit note
// it also carries the due date (BT-9).
func (d *doc) paymentMeans() {
	p := d.inv.Payment
	if p == nil || p.MeansCode == "" {
		return
	}
	w := d.w
	w.Open("cac:PaymentMeans")
	w.Leaf("cbc:PaymentMeansCode", p.MeansCode, "name", p.MeansText)
	if d.cn {
		w.Leaf("cbc:PaymentDueDate", d.inv.DueDate)
	}
	w.Leaf("cbc:PaymentID", p.RemittanceInformation)
	if ct := p.CreditTransfer; ct != nil && ct.AccountID != "" {
		w.Open("cac:PayeeFinancialAccount")
		w.Leaf("cbc:ID", ct.AccountID)
		w.Leaf("cbc:Name", ct.AccountName)
		if ct.ServiceProviderID != "" {
			w.Open("cac:FinancialInstitutionBranch")
			w.Leaf("cbc:ID", ct.ServiceProviderID)
			w.Close()
		}
		w.Close()
	}
	w.Close()
}
