package render

import "github.com/pocketbase/pocketbase/core"

// Exported for the tests of package render_test, which run Kontor whole
// and so cannot live in package render.
var ReadRecordFile = readRecordFile

const MaxStoredPDF = maxStoredPDF

// SetPDFQueueSize sets the size of the queues made from now on, until the
// test ends.
func SetPDFQueueSize(t interface{ Cleanup(func()) }, n int) {
	was := pdfQueueSize
	pdfQueueSize = n
	t.Cleanup(func() { pdfQueueSize = was })
}

// CatchUp has the PDF worker of app store every issued document's missing
// PDF, as it does when the server starts.
func CatchUp(app core.App) {
	app.Store().Get(registeredKey).(*renderer).queue.catchUp()
}
