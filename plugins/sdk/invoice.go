package sdk

// Invoice is the canonical invoice: an issued invoice or credit note as
// every format plugin receives it, with JSON names after the business terms
// of EN 16931 (the BT-/BG- id of each is in its comment).
//
// Amounts are decimal strings with two decimals ("1234.50", "-3.00"), in
// the invoice currency (BT-5) unless said otherwise; quantities, prices and
// rates are decimal strings with as many decimals as they were given. No
// field is ever a floating-point number. The amounts are the ones Kontor
// froze when it issued the document, computed by the EN 16931 rules: a
// plugin writes them as they are and never recomputes them.
//
// Dates are ISO 8601 calendar dates (YYYY-MM-DD). Codes are those EN 16931
// names: ISO 3166-1 alpha-2 countries, ISO 4217 currencies, UNTDID 1001
// document types, UNCL 5305 VAT categories, UN/ECE Rec. 20 units, UNCL 4461
// payment means, EAS electronic address schemes.
type Invoice struct {
	// ModelVersion is the version of this model the invoice was written in.
	ModelVersion string `json:"model_version"`

	// Number is the invoice number (BT-1).
	Number string `json:"number"`
	// IssueDate is the invoice issue date (BT-2).
	IssueDate string `json:"issue_date"`
	// TypeCode is the invoice type code (BT-3): TypeInvoice or TypeCreditNote.
	TypeCode string `json:"type_code"`
	// Currency is the invoice currency code (BT-5).
	Currency string `json:"currency"`
	// VATAccountingCurrency is the VAT accounting currency code (BT-6),
	// set only when it differs from Currency; Totals.VATAccounting (BT-111)
	// is then the total VAT in it.
	VATAccountingCurrency string `json:"vat_accounting_currency,omitempty"`
	// DueDate is the payment due date (BT-9).
	DueDate string `json:"due_date,omitempty"`
	// BuyerReference is the buyer reference (BT-10), e.g. the German
	// Leitweg-ID of a public buyer.
	BuyerReference string `json:"buyer_reference,omitempty"`
	// OrderReference is the purchase order reference (BT-13).
	OrderReference string `json:"order_reference,omitempty"`
	// PrecedingInvoices are the invoices a credit note corrects (BG-3).
	PrecedingInvoices []PrecedingInvoice `json:"preceding_invoices,omitempty"`
	// PaymentTerms are the payment terms as text (BT-20).
	PaymentTerms string `json:"payment_terms,omitempty"`
	// Notes are the invoice notes (BG-1, each a BT-22).
	Notes []string `json:"notes,omitempty"`
	// Language is the ISO 639-1 language the texts are written in (not an
	// EN 16931 term; for formats with labels).
	Language string `json:"language,omitempty"`

	// Seller is the seller (BG-4).
	Seller Party `json:"seller"`
	// Buyer is the buyer (BG-7).
	Buyer Party `json:"buyer"`
	// Delivery is the delivery information (BG-13).
	Delivery *Delivery `json:"delivery,omitempty"`
	// InvoicingPeriod is the invoicing period (BG-14).
	InvoicingPeriod *Period `json:"invoicing_period,omitempty"`
	// Payment are the payment instructions (BG-16).
	Payment *PaymentInstructions `json:"payment,omitempty"`

	// Allowances are the document level allowances (BG-20).
	Allowances []AllowanceCharge `json:"allowances,omitempty"`
	// Charges are the document level charges (BG-21).
	Charges []AllowanceCharge `json:"charges,omitempty"`
	// Totals are the document totals (BG-22).
	Totals Totals `json:"totals"`
	// VATBreakdown is the VAT breakdown (BG-23), one entry per VAT
	// category and rate.
	VATBreakdown []VATBreakdown `json:"vat_breakdown"`
	// Lines are the invoice lines (BG-25).
	Lines []Line `json:"lines"`
}

// Invoice type codes (BT-3, UNTDID 1001) Kontor issues.
const (
	TypeInvoice    = "380" // commercial invoice
	TypeCreditNote = "381" // credit note
)

// IsCreditNote reports whether the document is a credit note.
func (inv *Invoice) IsCreditNote() bool {
	return inv.TypeCode == TypeCreditNote
}

// PrecedingInvoice is a preceding invoice reference (BG-3).
type PrecedingInvoice struct {
	// Number is the preceding invoice reference (BT-25).
	Number string `json:"number"`
	// IssueDate is the preceding invoice issue date (BT-26).
	IssueDate string `json:"issue_date,omitempty"`
}

// Party is the seller (BG-4) or the buyer (BG-7).
type Party struct {
	// Name is the seller name (BT-27) or buyer name (BT-44): the legal name.
	Name string `json:"name"`
	// TradingName is the seller (BT-28) or buyer (BT-45) trading name.
	TradingName string `json:"trading_name,omitempty"`
	// Identifier is the seller (BT-29) or buyer (BT-46) identifier.
	Identifier *Identifier `json:"identifier,omitempty"`
	// LegalRegistrationID is the seller (BT-30) or buyer (BT-47) legal
	// registration identifier.
	LegalRegistrationID string `json:"legal_registration_id,omitempty"`
	// VATID is the seller (BT-31) or buyer (BT-48) VAT identifier, with its
	// country prefix.
	VATID string `json:"vat_id,omitempty"`
	// TaxRegistrationID is the seller tax registration identifier (BT-32),
	// e.g. a German Steuernummer. For a buyer it is the national tax code
	// some formats ask for (not an EN 16931 term), e.g. the Italian codice
	// fiscale of a private person; EN 16931 syntaxes write it for sellers
	// only.
	TaxRegistrationID string `json:"tax_registration_id,omitempty"`
	// TaxRegime is the seller's national tax regime, for the formats that
	// state it (not an EN 16931 term): for Italy the FatturaPA
	// RegimeFiscale code, "RF01" (ordinary) to "RF19" (flat rate).
	TaxRegime string `json:"tax_regime,omitempty"`
	// ElectronicAddress is the seller (BT-34) or buyer (BT-49) electronic
	// address, e.g. a Peppol participant id.
	ElectronicAddress *ElectronicAddress `json:"electronic_address,omitempty"`
	// Address is the seller (BG-5) or buyer (BG-8) postal address.
	Address Address `json:"address"`
	// Contact is the seller (BG-6) or buyer (BG-9) contact.
	Contact *Contact `json:"contact,omitempty"`
}

// Identifier is a party identifier with its optional scheme (BT-29, BT-46).
type Identifier struct {
	// ID is the identifier.
	ID string `json:"id"`
	// Scheme is its ISO 6523 ICD scheme, e.g. "0088" (GLN); empty for none.
	Scheme string `json:"scheme,omitempty"`
}

// ElectronicAddress is an electronic address with its scheme (BT-34, BT-49).
type ElectronicAddress struct {
	// ID is the address itself, e.g. "DE123456789" or "04011000-12345-03".
	ID string `json:"id"`
	// Scheme is its EAS code (the scheme identifier of BT-34/BT-49), e.g.
	// "9930" (German VAT), "0204" (Leitweg-ID), "0088" (GLN), "EM" (email).
	Scheme string `json:"scheme"`
}

// Address is a postal address (BG-5, BG-8, BG-15).
type Address struct {
	// Line1 is address line 1 (BT-35, BT-50, BT-75).
	Line1 string `json:"line1,omitempty"`
	// Line2 is address line 2 (BT-36, BT-51, BT-76).
	Line2 string `json:"line2,omitempty"`
	// City is the city (BT-37, BT-52, BT-77).
	City string `json:"city,omitempty"`
	// PostalCode is the post code (BT-38, BT-53, BT-78).
	PostalCode string `json:"postal_code,omitempty"`
	// Subdivision is the country subdivision (BT-39, BT-54, BT-79).
	Subdivision string `json:"subdivision,omitempty"`
	// Country is the ISO 3166-1 alpha-2 country code (BT-40, BT-55, BT-80).
	Country string `json:"country"`
}

// Contact is a contact point (BG-6, BG-9).
type Contact struct {
	// Name is the contact point (BT-41, BT-56).
	Name string `json:"name,omitempty"`
	// Phone is the contact telephone number (BT-42, BT-57).
	Phone string `json:"phone,omitempty"`
	// Email is the contact email address (BT-43, BT-58).
	Email string `json:"email,omitempty"`
}

// Delivery is the delivery information (BG-13).
type Delivery struct {
	// PartyName is the deliver to party name (BT-70).
	PartyName string `json:"party_name,omitempty"`
	// Date is the actual delivery date (BT-72).
	Date string `json:"date,omitempty"`
	// Address is the deliver to address (BG-15).
	Address *Address `json:"address,omitempty"`
}

// Period is an invoicing period (BG-14, BG-26).
type Period struct {
	// Start is the start date (BT-73, BT-134).
	Start string `json:"start,omitempty"`
	// End is the end date (BT-74, BT-135).
	End string `json:"end,omitempty"`
}

// PaymentInstructions are the payment instructions (BG-16).
type PaymentInstructions struct {
	// MeansCode is the payment means type code (BT-81, UNCL 4461):
	// MeansSEPACreditTransfer or MeansCreditTransfer for a bank transfer.
	MeansCode string `json:"means_code"`
	// MeansText is the payment means text (BT-82).
	MeansText string `json:"means_text,omitempty"`
	// RemittanceInformation is what the payer quotes with the payment
	// (BT-83); Kontor puts the invoice number.
	RemittanceInformation string `json:"remittance_information,omitempty"`
	// CreditTransfer is the account to pay to (BG-17).
	CreditTransfer *CreditTransfer `json:"credit_transfer,omitempty"`
}

// Payment means codes (BT-81, UNCL 4461) Kontor uses.
const (
	MeansCreditTransfer     = "30" // credit transfer
	MeansSEPACreditTransfer = "58" // SEPA credit transfer
)

// CreditTransfer is a credit transfer account (BG-17).
type CreditTransfer struct {
	// AccountID is the payment account identifier (BT-84): an IBAN for SEPA.
	AccountID string `json:"account_id"`
	// AccountName is the payment account name (BT-85).
	AccountName string `json:"account_name,omitempty"`
	// ServiceProviderID is the payment service provider identifier
	// (BT-86): the BIC.
	ServiceProviderID string `json:"service_provider_id,omitempty"`
}

// AllowanceCharge is an allowance or a charge: of the document (BG-20,
// BG-21) or of a line (BG-27, BG-28).
type AllowanceCharge struct {
	// Amount is the allowance or charge amount, without VAT (BT-92, BT-99,
	// BT-136, BT-141).
	Amount string `json:"amount"`
	// BaseAmount is the amount Percentage applies to (BT-93, BT-100,
	// BT-137, BT-142).
	BaseAmount string `json:"base_amount,omitempty"`
	// Percentage is the percentage of BaseAmount (BT-94, BT-101, BT-138,
	// BT-143).
	Percentage string `json:"percentage,omitempty"`
	// VATCategory is the VAT category of a document level allowance or
	// charge (BT-95, BT-102).
	VATCategory string `json:"vat_category,omitempty"`
	// VATRate is the VAT rate of a document level allowance or charge
	// (BT-96, BT-103).
	VATRate string `json:"vat_rate,omitempty"`
	// Reason is the reason as text (BT-97, BT-104, BT-139, BT-144).
	Reason string `json:"reason,omitempty"`
	// ReasonCode is the reason code (BT-98, BT-105, BT-140, BT-145): UNCL
	// 5189 for allowances (e.g. "95" discount), UNCL 7161 for charges.
	ReasonCode string `json:"reason_code,omitempty"`
}

// Totals are the document totals (BG-22).
type Totals struct {
	// LineNet is the sum of invoice line net amounts (BT-106).
	LineNet string `json:"line_net"`
	// Allowances is the sum of document level allowances (BT-107).
	Allowances string `json:"allowances,omitempty"`
	// Charges is the sum of document level charges (BT-108).
	Charges string `json:"charges,omitempty"`
	// Net is the invoice total amount without VAT (BT-109).
	Net string `json:"net"`
	// VAT is the invoice total VAT amount (BT-110).
	VAT string `json:"vat"`
	// VATAccounting is the invoice total VAT amount in the VAT accounting
	// currency BT-6 (BT-111).
	VATAccounting string `json:"vat_accounting,omitempty"`
	// Gross is the invoice total amount with VAT (BT-112).
	Gross string `json:"gross"`
	// Prepaid is the paid amount (BT-113).
	Prepaid string `json:"prepaid,omitempty"`
	// Rounding is the rounding amount (BT-114).
	Rounding string `json:"rounding,omitempty"`
	// Payable is the amount due for payment (BT-115).
	Payable string `json:"payable"`
}

// VATBreakdown is one entry of the VAT breakdown (BG-23).
type VATBreakdown struct {
	// Category is the VAT category code (BT-118, UNCL 5305).
	Category string `json:"category"`
	// Rate is the VAT category rate in percent (BT-119).
	Rate string `json:"rate"`
	// Taxable is the VAT category taxable amount (BT-116).
	Taxable string `json:"taxable"`
	// VAT is the VAT category tax amount (BT-117).
	VAT string `json:"vat"`
	// ExemptionReason is the VAT exemption reason text (BT-120).
	ExemptionReason string `json:"exemption_reason,omitempty"`
	// ExemptionReasonCode is the VAT exemption reason code (BT-121, VATEX),
	// e.g. "VATEX-EU-AE".
	ExemptionReasonCode string `json:"exemption_reason_code,omitempty"`
}

// Line is an invoice line (BG-25).
type Line struct {
	// ID is the invoice line identifier (BT-126), unique in the invoice.
	ID string `json:"id"`
	// Note is the invoice line note (BT-127).
	Note string `json:"note,omitempty"`
	// Quantity is the invoiced quantity (BT-129).
	Quantity string `json:"quantity"`
	// UnitCode is the invoiced quantity unit of measure (BT-130, UN/ECE
	// Rec. 20), e.g. "C62" one, "HUR" hour, "DAY" day.
	UnitCode string `json:"unit_code"`
	// NetAmount is the invoice line net amount (BT-131): quantity × net
	// price − allowances + charges.
	NetAmount string `json:"net_amount"`
	// Period is the invoice line period (BG-26).
	Period *Period `json:"period,omitempty"`
	// Allowances are the invoice line allowances (BG-27), e.g. a discount.
	Allowances []AllowanceCharge `json:"allowances,omitempty"`
	// Charges are the invoice line charges (BG-28).
	Charges []AllowanceCharge `json:"charges,omitempty"`
	// Price is the price details (BG-29).
	Price Price `json:"price"`
	// VAT is the line VAT information (BG-30).
	VAT LineVAT `json:"vat"`
	// Item is the item information (BG-31).
	Item Item `json:"item"`
}

// Price are the price details of a line (BG-29).
type Price struct {
	// Net is the item net price (BT-146), per BaseQuantity (one when empty).
	Net string `json:"net"`
	// Discount is the item price discount (BT-147).
	Discount string `json:"discount,omitempty"`
	// Gross is the item gross price (BT-148).
	Gross string `json:"gross,omitempty"`
	// BaseQuantity is the item price base quantity (BT-149).
	BaseQuantity string `json:"base_quantity,omitempty"`
	// BaseQuantityUnitCode is the unit of BaseQuantity (BT-150).
	BaseQuantityUnitCode string `json:"base_quantity_unit_code,omitempty"`
}

// LineVAT is the VAT information of a line (BG-30).
type LineVAT struct {
	// Category is the invoiced item VAT category code (BT-151).
	Category string `json:"category"`
	// Rate is the invoiced item VAT rate in percent (BT-152).
	Rate string `json:"rate"`
}

// Item is the item information of a line (BG-31).
type Item struct {
	// Name is the item name (BT-153).
	Name string `json:"name"`
	// Description is the item description (BT-154).
	Description string `json:"description,omitempty"`
	// SellerID is the item seller's identifier (BT-155).
	SellerID string `json:"seller_id,omitempty"`
}

// AllowanceReasonDiscount is the UNCL 5189 allowance reason code of a
// discount (BT-98, BT-140).
const AllowanceReasonDiscount = "95"
