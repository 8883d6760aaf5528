package crm

import (
	"errors"
	"reflect"
	"testing"
)

func TestDetectDelimiter(t *testing.T) {
	cases := []struct {
		name string
		data string
		want rune
	}{
		{"commas", "a,b,c\n1,2,3\n", ','},
		{"semicolons", "a;b;c\n1;2;3\n", ';'},
		{"semicolons with decimal commas below", "name;amount\nx;1,50\n", ';'},
		{"a comma inside quotes", "\"Acme, Inc.\";b;c\n", ';'},
		{"one column", "email\na@b.c\n", ','},
		{"no newline", "a;b", ';'},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := detectDelimiter([]byte(c.data)); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestReadCSV(t *testing.T) {
	cases := []struct {
		name   string
		data   string
		header []string
		rows   [][]string
		lines  []int
		err    bool
	}{
		{"plain", "a,b\n1,2\n3,4\n", []string{"a", "b"}, [][]string{{"1", "2"}, {"3", "4"}}, []int{2, 3}, false},
		{"BOM, CRLF, short row padded", "\xef\xbb\xbfa;b\r\n1\r\n", []string{"a", "b"}, [][]string{{"1", ""}}, []int{2}, false},
		{"quoted newline moves the line", "a,b\n\"x\ny\",2\n3,4\n", []string{"a", "b"}, [][]string{{"x\ny", "2"}, {"3", "4"}}, []int{2, 4}, false},
		{"blank lines skipped", "a\n\n1\n", []string{"a"}, [][]string{{"1"}}, []int{3}, false},
		{"too many cells", "a,b\n1,2,3\n", nil, nil, nil, true},
		{"a header named twice", "a,A\n1,2\n", nil, nil, nil, true},
		{"an unnamed column", "a,\n1,2\n", nil, nil, nil, true},
		{"empty", "", nil, nil, nil, true},
		{"not UTF-8", "a\n\xff\n", nil, nil, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readCSV([]byte(c.data), 10)
			if c.err {
				if err == nil {
					t.Fatalf("no error, got %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Header, c.header) || !reflect.DeepEqual(got.Rows, c.rows) || !reflect.DeepEqual(got.Lines, c.lines) {
				t.Errorf("got %q %q %v", got.Header, got.Rows, got.Lines)
			}
		})
	}
	if _, err := readCSV([]byte("a\n1\n2\n3\n"), 2); !errors.Is(err, errTooManyRows) {
		t.Errorf("3 rows with a limit of 2: %v", err)
	}
	if _, err := readCSV([]byte("a\n1\n2\n"), 2); err != nil {
		t.Errorf("2 rows with a limit of 2: %v", err)
	}
}

func TestParseMapping(t *testing.T) {
	header := []string{"Vorname", "E-Mail", "first_name", "Job Title"}
	fields := importFields["contacts"]
	cases := []struct {
		name string
		raw  string
		want map[int]string
		err  bool
	}{
		{"explicit", `{"Vorname": "first_name", "E-Mail": "email"}`, map[int]string{0: "first_name", 1: "email"}, false},
		{"case of the column does not matter", `{"e-mail": "email"}`, map[int]string{1: "email"}, false},
		{"empty field skips a column", `{"Vorname": "first_name", "E-Mail": ""}`, map[int]string{0: "first_name"}, false},
		{"automatic by name", ``, map[int]string{2: "first_name", 3: "job_title"}, false},
		{"unknown field", `{"Vorname": "score"}`, nil, true},
		{"unknown column", `{"Name": "first_name"}`, nil, true},
		{"a field twice", `{"Vorname": "first_name", "first_name": "first_name"}`, nil, true},
		{"nothing mapped", `{"Vorname": ""}`, nil, true},
		{"not JSON", `Vorname=first_name`, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseMapping(c.raw, header, fields)
			if c.err != (err != nil) {
				t.Fatalf("err = %v", err)
			}
			if !c.err && !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestSafeCell(t *testing.T) {
	cases := map[string]string{
		"":             "",
		"Acme":         "Acme",
		"=1+2":         "'=1+2",
		"@SUM(A1)":     "'@SUM(A1)",
		"+34600111222": "+34600111222",
		"-5.00":        "-5.00",
		"+cmd":         "'+cmd",
		"-":            "'-",
		"\tx":          "'\tx",
		"a=b":          "a=b",
	}
	for in, want := range cases {
		if got := safeCell(in); got != want {
			t.Errorf("safeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
