package invoicing_test

import "net/url"

func queryEscape(filter string) string { return url.QueryEscape(filter) }
