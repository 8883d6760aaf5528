package crm

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// csvTable is a CSV file read whole: its header and its data rows.
type csvTable struct {
	Header []string
	Rows   [][]string
	// Lines are the line numbers in the file where each row starts (the
	// header is line 1).
	Lines []int
}

// errTooManyRows is returned by readCSV for a file with more data rows than
// allowed.
var errTooManyRows = errors.New("too many rows")

// detectDelimiter tells whether a CSV file separates its fields by ',' or
// by ';' (as spreadsheets do where the decimal separator is a comma), from
// its header line, outside quotes.
func detectDelimiter(data []byte) rune {
	commas, semicolons, quoted := 0, 0, false
	for _, b := range data {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == '\n':
			if semicolons > commas {
				return ';'
			}
			return ','
		case b == ',':
			commas++
		case b == ';':
			semicolons++
		}
	}
	if semicolons > commas {
		return ';'
	}
	return ','
}

// readCSV reads a UTF-8 CSV file (a byte order mark is dropped) whose first
// line is the header, with at most maxRows data rows. Blank lines are
// skipped; short rows are padded with empty cells.
func readCSV(data []byte, maxRows int) (*csvTable, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, errors.New("the file is not UTF-8 text; save it as CSV UTF-8")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = detectDelimiter(data)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty; it needs a header line and rows")
	}
	if err != nil {
		return nil, csvError(err)
	}
	t := &csvTable{}
	seen := map[string]bool{}
	for _, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, errors.New("a column of the header line has no name")
		}
		if seen[strings.ToLower(h)] {
			return nil, fmt.Errorf("the header line names the column %q twice", h)
		}
		seen[strings.ToLower(h)] = true
		t.Header = append(t.Header, h)
	}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		if len(t.Rows) == maxRows {
			return nil, errTooManyRows
		}
		line, _ := r.FieldPos(0)
		if len(row) > len(t.Header) {
			return nil, fmt.Errorf("line %d has %d cells, more than the %d columns of the header", line, len(row), len(t.Header))
		}
		for len(row) < len(t.Header) {
			row = append(row, "")
		}
		t.Rows = append(t.Rows, row)
		t.Lines = append(t.Lines, line)
	}
	return t, nil
}

// csvError says where a CSV file is malformed.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d is not valid CSV: %v", pe.Line, pe.Err)
	}
	return err
}
