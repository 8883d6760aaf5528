package render

// Exported for the tests of package render_test, which run Kontor whole
// and so cannot live in package render.
var ReadRecordFile = readRecordFile

const MaxStoredPDF = maxStoredPDF
