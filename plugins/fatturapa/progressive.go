package fatturapa

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"
)

// progressiveSpace is 36^10, the number of ten-character base-36 strings.
const progressiveSpace = 3656158440062976

// progressive returns the ProgressivoInvio of the invoice: ten base-36
// characters (0-9, A-Z) of the SHA-256 of its number. The SDI wants a
// transmission id the transmitter never repeats; a counter would need state
// the plugin does not have, while the invoice number is unique per seller
// and the hash of it is the same at every render, so a document downloaded
// twice is the same document.
func progressive(number string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(number)))
	n := binary.BigEndian.Uint64(sum[:8]) % progressiveSpace
	s := strings.ToUpper(strconv.FormatUint(n, 36))
	return strings.Repeat("0", 10-len(s)) + s
}

// fileName returns the name the SDI requires of a FatturaPA file: the
// transmitter's country and tax id, an underscore, and a progressive of at
// most five alphanumeric characters (e.g. "IT01234567890_8ZK4Q.xml"); the
// SDI refuses a file named otherwise (error 00001). The progressive is the
// first five characters of the ProgressivoInvio, so it derives from the
// invoice number as deterministically.
//
// Five base-36 characters give about 60 million names: among the 1,000
// invoices of one seller, the chance that two share one is below 1 %. The
// SDI refuses a file whose name it has already received from the same
// transmitter (error 00002); such a file, like one the SDI refused and
// that is sent again, is renamed by hand. A name derived from the number
// was preferred to sdk.FileName, whose "INV-2026-0001.xml" the SDI would
// refuse, and to a counter, which would need state the plugin does not
// keep.
func fileName(id taxID, progressive string) string {
	return id.country + id.code + "_" + progressive[:5] + ".xml"
}
