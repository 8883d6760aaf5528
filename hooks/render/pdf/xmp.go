package pdf

import (
	"strings"
)

// XMPSchema is a set of custom XMP properties in one namespace. PDF/A
// allows properties outside its predefined schemas only when an extension
// schema declares them; the writer emits both the values and that
// declaration.
type XMPSchema struct {
	Name       string // description of the schema, e.g. "Factur-X PDFA Extension Schema"
	Namespace  string // namespace URI, e.g. "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
	Prefix     string // e.g. "fx"
	Properties []XMPProperty
}

// XMPProperty is one text property of an XMPSchema.
type XMPProperty struct {
	Name        string // e.g. "DocumentFileName"
	Value       string
	Description string
	// Category is "external" (shown to users, the default) or "internal".
	Category string
}

// xmp returns the XMP metadata packet of the document.
func (d *Document) xmp() []byte {
	in := d.info
	var b strings.Builder
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">` + "\n")
	b.WriteString(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")

	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">` + "\n")
	b.WriteString("<pdfaid:part>3</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n")
	b.WriteString("</rdf:Description>\n")

	b.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">` + "\n")
	b.WriteString("<dc:format>application/pdf</dc:format>\n")
	if in.Title != "" {
		b.WriteString(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + xmlEscape(in.Title) + "</rdf:li></rdf:Alt></dc:title>\n")
	}
	if in.Author != "" {
		b.WriteString("<dc:creator><rdf:Seq><rdf:li>" + xmlEscape(in.Author) + "</rdf:li></rdf:Seq></dc:creator>\n")
	}
	if in.Subject != "" {
		b.WriteString(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + xmlEscape(in.Subject) + "</rdf:li></rdf:Alt></dc:description>\n")
	}
	if in.Language != "" {
		b.WriteString("<dc:language><rdf:Bag><rdf:li>" + xmlEscape(in.Language) + "</rdf:li></rdf:Bag></dc:language>\n")
	}
	b.WriteString("</rdf:Description>\n")

	created := xmpDate(in.Created)
	b.WriteString(`<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">` + "\n")
	b.WriteString("<xmp:CreateDate>" + created + "</xmp:CreateDate>\n")
	b.WriteString("<xmp:ModifyDate>" + created + "</xmp:ModifyDate>\n")
	b.WriteString("<xmp:MetadataDate>" + created + "</xmp:MetadataDate>\n")
	if in.Creator != "" {
		b.WriteString("<xmp:CreatorTool>" + xmlEscape(in.Creator) + "</xmp:CreatorTool>\n")
	}
	b.WriteString("</rdf:Description>\n")

	if in.Producer != "" {
		b.WriteString(`<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">` + "\n")
		b.WriteString("<pdf:Producer>" + xmlEscape(in.Producer) + "</pdf:Producer>\n")
		b.WriteString("</rdf:Description>\n")
	}

	for _, s := range d.schemas {
		b.WriteString(`<rdf:Description rdf:about="" xmlns:` + s.Prefix + `="` + xmlEscape(s.Namespace) + `">` + "\n")
		for _, p := range s.Properties {
			b.WriteString("<" + s.Prefix + ":" + p.Name + ">" + xmlEscape(p.Value) + "</" + s.Prefix + ":" + p.Name + ">\n")
		}
		b.WriteString("</rdf:Description>\n")
	}
	if len(d.schemas) > 0 {
		d.writeExtensionSchemas(&b)
	}

	b.WriteString("</rdf:RDF>\n</x:xmpmeta>\n")
	// padding lets a later tool edit the packet in place
	b.WriteString(strings.Repeat(strings.Repeat(" ", 99)+"\n", 20))
	b.WriteString(`<?xpacket end="w"?>`)
	return []byte(b.String())
}

// writeExtensionSchemas declares the custom schemas (PDF/A extension schema
// container, ISO 19005-1 6.7.8, kept by parts 2 and 3).
func (d *Document) writeExtensionSchemas(b *strings.Builder) {
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"` +
		` xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">` + "\n")
	b.WriteString("<pdfaExtension:schemas>\n<rdf:Bag>\n")
	for _, s := range d.schemas {
		b.WriteString(`<rdf:li rdf:parseType="Resource">` + "\n")
		b.WriteString("<pdfaSchema:schema>" + xmlEscape(s.Name) + "</pdfaSchema:schema>\n")
		b.WriteString("<pdfaSchema:namespaceURI>" + xmlEscape(s.Namespace) + "</pdfaSchema:namespaceURI>\n")
		b.WriteString("<pdfaSchema:prefix>" + xmlEscape(s.Prefix) + "</pdfaSchema:prefix>\n")
		b.WriteString("<pdfaSchema:property>\n<rdf:Seq>\n")
		for _, p := range s.Properties {
			category := p.Category
			if category == "" {
				category = "external"
			}
			b.WriteString(`<rdf:li rdf:parseType="Resource">` + "\n")
			b.WriteString("<pdfaProperty:name>" + xmlEscape(p.Name) + "</pdfaProperty:name>\n")
			b.WriteString("<pdfaProperty:valueType>Text</pdfaProperty:valueType>\n")
			b.WriteString("<pdfaProperty:category>" + category + "</pdfaProperty:category>\n")
			b.WriteString("<pdfaProperty:description>" + xmlEscape(p.Description) + "</pdfaProperty:description>\n")
			b.WriteString("</rdf:li>\n")
		}
		b.WriteString("</rdf:Seq>\n</pdfaSchema:property>\n</rdf:li>\n")
	}
	b.WriteString("</rdf:Bag>\n</pdfaExtension:schemas>\n</rdf:Description>\n")
}
