package sdk

import (
	"encoding/json"
	"testing"
)

func TestEmptyJSONDefaults(t *testing.T) {
	tests := []struct {
		raw          string
		object, tool string
	}{
		{"", `{}`, `{"type":"object","properties":{}}`},
		{" null ", `{}`, `{"type":"object","properties":{}}`},
		{`{"a":1}`, `{"a":1}`, `{"a":1}`},
	}
	for _, tt := range tests {
		if got := string(Object(json.RawMessage(tt.raw))); got != tt.object {
			t.Errorf("Object(%q) = %s, want %s", tt.raw, got, tt.object)
		}
		if got := string(Tool{Parameters: json.RawMessage(tt.raw)}.ParametersSchema()); got != tt.tool {
			t.Errorf("ParametersSchema(%q) = %s, want %s", tt.raw, got, tt.tool)
		}
	}
}
