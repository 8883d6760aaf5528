package host_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/plugins/host"
)

func TestConfigFromEnv(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	cases := []struct {
		name    string
		env     map[string]string
		dir     string
		sums    int
		timeout time.Duration
		err     string
	}{
		{name: "defaults", timeout: 30 * time.Second},
		{name: "all set", env: map[string]string{"KONTOR_PLUGINS_DIR": " /opt/kontor/plugins ",
			"KONTOR_PLUGINS_SHA256": sum + ", " + strings.ToUpper(sum), "KONTOR_PLUGIN_TIMEOUT": "5s"},
			dir: "/opt/kontor/plugins", sums: 2, timeout: 5 * time.Second},
		{name: "short sum", env: map[string]string{"KONTOR_PLUGINS_SHA256": "abcd"}, err: "KONTOR_PLUGINS_SHA256"},
		{name: "timeout without unit", env: map[string]string{"KONTOR_PLUGIN_TIMEOUT": "30"}, err: "KONTOR_PLUGIN_TIMEOUT"},
		{name: "timeout too long", env: map[string]string{"KONTOR_PLUGIN_TIMEOUT": "1h"}, err: "KONTOR_PLUGIN_TIMEOUT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := host.ConfigFromEnv(func(k string) string { return tc.env[k] })
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want an error naming %s", err, tc.err)
				}
				return
			}
			if err != nil || cfg.PluginsDir != tc.dir || len(cfg.AllowedSHA256) != tc.sums || cfg.CallTimeout != tc.timeout {
				t.Errorf("got %+v, %v", cfg, err)
			}
		})
	}
}
