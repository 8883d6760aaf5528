package sequences

// Signed signs a webhook body the way Svix documents it, for the tests of
// the package sequences_test.
var Signed = signed

// TestSecret is the inbound webhook secret of the tests.
const TestSecret = testSecret
