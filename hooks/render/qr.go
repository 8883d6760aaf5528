package render

import (
	"strings"

	"rsc.io/qr"

	"github.com/kontor-app/kontor/hooks/render/pdf"
)

// QR image geometry: the quiet zone the standard asks for, and pixels per
// module, so the image embedded in the PDF decodes as it is, even when a
// tool extracts it at its own size.
const (
	qrQuietZone = 4
	qrScale     = 4
)

// qrCode encodes the payload at error correction level M, as EPC069-12
// requires.
func qrCode(payload string) (*qr.Code, error) {
	return qr.Encode(payload, qr.M)
}

// qrImage draws the code as a one-bit image with its quiet zone.
func qrImage(code *qr.Code) (*pdf.Image, error) {
	side := (code.Size + 2*qrQuietZone) * qrScale
	stride := (side + 7) / 8
	samples := make([]byte, stride*side)
	for i := range samples {
		samples[i] = 0xFF
	}
	for y := 0; y < code.Size; y++ {
		row := samples[(y+qrQuietZone)*qrScale*stride:][:stride]
		for x := 0; x < code.Size; x++ {
			if !code.Black(x, y) {
				continue
			}
			for px := (x + qrQuietZone) * qrScale; px < (x+qrQuietZone+1)*qrScale; px++ {
				row[px/8] &^= 0x80 >> (px % 8)
			}
		}
		for dy := 1; dy < qrScale; dy++ {
			copy(samples[((y+qrQuietZone)*qrScale+dy)*stride:], row)
		}
	}
	return pdf.NewBilevelImage(side, side, samples)
}

// qrSVG draws the code as an inline SVG for the HTML template, one path of
// unit squares with the quiet zone in the view box.
func qrSVG(code *qr.Code) string {
	var path strings.Builder
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				path.WriteString("M")
				path.WriteString(itoa(x + qrQuietZone))
				path.WriteString(" ")
				path.WriteString(itoa(y + qrQuietZone))
				path.WriteString("h1v1h-1z")
			}
		}
	}
	side := itoa(code.Size + 2*qrQuietZone)
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + side + " " + side +
		`" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="` + path.String() + `"/></svg>`
}
