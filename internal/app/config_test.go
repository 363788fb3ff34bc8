package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dcgw-scan/dcgw-scan/policies"
)

// configCmp compares configs: the parsed timeout and the config's directory count,
// the key lines (for messages) do not.
var configCmp = []cmp.Option{cmp.AllowUnexported(Config{}, DNSSource{}, CallLimits{}), cmpopts.IgnoreFields(Sources{}, "lines")}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		yaml    string
		want    func(*Config)
		wantErr string
	}{
		{name: "empty file keeps defaults", yaml: "", want: func(*Config) {}},
		{
			name: "overrides replace defaults",
			yaml: "gateway_port: 8443\nallowed_spokes: [tgw-attach-1]\nfail_on: critical\npolicy_dirs: [rules]\ndisabled_rules: [DCGW-HUB-*]\ncustom:\n  team: payments\n",
			want: func(c *Config) {
				c.GatewayPort = 8443
				c.AllowedSpokes = []string{"tgw-attach-1"}
				c.FailOn = "critical"
				c.PolicyDirs = []string{"rules"}
				c.DisabledRules = []string{"DCGW-HUB-*"}
				c.Custom = map[string]any{"team": "payments"}
			},
		},
		{name: "unknown key names its line", yaml: "gateway_port: 443\ngatway_port: 8443\n", wantErr: "line 2: field gatway_port not found"},
		{name: "wrong type names its line", yaml: "\n\ngateway_port: https\n", wantErr: "line 3: cannot unmarshal"},
		{name: "port out of range", yaml: "gateway_port: 70000\n", wantErr: "gateway_port: 70000 is not a port"},
		{name: "bad source range", yaml: "allowed_source_ranges: [10.0.0.0/33]\n", wantErr: `allowed_source_ranges[0]: "10.0.0.0/33" is not a CIDR`},
		{name: "bad fail_on", yaml: "fail_on: severe\n", wantErr: `fail_on: "severe" is not a severity`},
		{name: "malformed yaml", yaml: "gateway_port: [\n", wantErr: "line "},
		{
			name: "sources",
			yaml: "sources:\n  konnect:\n    url: http://127.0.0.1:8080\n    token_file: token.txt\n    org: org-1\n" +
				"  dns:\n    server: 127.0.0.1:5353\n    timeout: 1500ms\n    hostnames: [api.example.com, www.example.com]\n",
			want: func(c *Config) {
				c.Sources.Konnect = &KonnectSource{URL: "http://127.0.0.1:8080", TokenFile: "token.txt", Org: "org-1"}
				c.Sources.DNS = &DNSSource{Server: "127.0.0.1:5353", Timeout: "1500ms", timeout: 1500 * time.Millisecond,
					Hostnames: []string{"api.example.com", "www.example.com"}}
			},
		},
		{name: "empty konnect source is configured", yaml: "sources:\n  konnect: {}\n", want: func(c *Config) { c.Sources.Konnect = &KonnectSource{} }},
		{name: "unknown source key names its line", yaml: "sources:\n  konnect:\n    org: x\n    urll: https://x\n", wantErr: "line 4: field urll not found"},
		{name: "unknown source names its line", yaml: "sources:\n  oracle: {}\n", wantErr: "line 2: field oracle not found"},
		{name: "bad dns timeout", yaml: "sources:\n  dns:\n    timeout: 2 seconds\n", wantErr: `sources.dns.timeout: "2 seconds" is not a positive Go duration`},
		{name: "negative dns timeout", yaml: "sources:\n  dns:\n    timeout: -1s\n", wantErr: `sources.dns.timeout: "-1s"`},
		{name: "bad konnect url", yaml: "sources:\n  konnect:\n    url: global.api.konghq.com\n", wantErr: "sources.konnect.url: want an http(s)://host"},
		{name: "unset variable names its line", yaml: "gateway_port: 443\n\nfail_on: ${DCGW_SCAN_TEST_SURELY_UNSET}\n", wantErr: "line 3: environment variable DCGW_SCAN_TEST_SURELY_UNSET is not set"},
		{name: "variable in a comment line is not expanded", yaml: "# token: ${DCGW_SCAN_TEST_SURELY_UNSET}\ngateway_port: 8443\n", want: func(c *Config) { c.GatewayPort = 8443 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, path, ok := loadTestConfig(t, tt.yaml, tt.wantErr)
			if !ok {
				return
			}
			want := Config{Params: policies.DefaultParams(), dir: filepath.Dir(path)}
			tt.want(&want)
			if diff := cmp.Diff(want, got, configCmp...); diff != "" {
				t.Errorf("LoadConfig() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadConfigEnv covers ${VAR} expansion; t.Setenv rules out t.Parallel.
func TestLoadConfigEnv(t *testing.T) {
	const secret = "kpat_envCANARYenvCANARY0123456789"
	t.Setenv("DCGW_TEST_PORT", "8443")
	t.Setenv("DCGW_TEST_HOST", "api.example.com")
	t.Setenv("DCGW_TEST_SECRET", secret)
	t.Setenv("DCGW_TEST_MULTILINE", "a\nb")
	tests := []struct {
		name    string
		yaml    string
		want    func(*Config)
		wantErr string
	}{
		{
			name: "expanded in values",
			yaml: "gateway_port: ${DCGW_TEST_PORT}\nsources:\n  dns:\n    hostnames: [\"${DCGW_TEST_HOST}\", www.${DCGW_TEST_HOST}]\n",
			want: func(c *Config) {
				c.GatewayPort = 8443
				c.Sources.DNS = &DNSSource{Hostnames: []string{"api.example.com", "www.api.example.com"}}
			},
		},
		// The lines after an expansion keep their numbers.
		{name: "lines do not move", yaml: "custom: {a: \"${DCGW_TEST_HOST}\"}\n\ngatway_port: 1\n", wantErr: "line 3: field gatway_port not found"},
		{name: "a value is not quoted back", yaml: "\ngateway_port: ${DCGW_TEST_SECRET}\n", wantErr: "line 2: cannot unmarshal"},
		{name: "a line break in a value is an error", yaml: "\n\nfail_on: ${DCGW_TEST_MULTILINE}\n", wantErr: "line 3: environment variable DCGW_TEST_MULTILINE holds a line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "dcgw-scan.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := LoadConfig(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("LoadConfig() error = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), secret[:7]) {
					t.Errorf("error quotes the environment value: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadConfig() error = %v", err)
			}
			want := Config{Params: policies.DefaultParams(), dir: filepath.Dir(path)}
			tt.want(&want)
			if diff := cmp.Diff(want, got, configCmp...); diff != "" {
				t.Errorf("LoadConfig() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestKonnectToken checks the token's sources and precedence; t.Setenv rules out t.Parallel.
func TestKonnectToken(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "token"), []byte("  from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "empty"), []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, env, file, want, wantErr string
	}{
		{name: "environment wins", env: "from-env", file: "token", want: "from-env"},
		{name: "file relative to the config", file: "token", want: "from-file"},
		{name: "neither", wantErr: "no Konnect token: set KONNECT_TOKEN or sources.konnect.token_file"},
		{name: "missing file", file: "nope", wantErr: "read sources.konnect.token_file " + filepath.Join(dir, "nope")},
		{name: "empty file", file: "empty", wantErr: "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(KonnectTokenEnv, tt.env)
			c := Config{dir: dir, Sources: Sources{Konnect: &KonnectSource{TokenFile: tt.file}}}
			got, err := c.konnectToken()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("konnectToken() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("konnectToken() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("LoadConfig(missing) error = %v, want one naming the file", err)
	}
}

// loadTestConfig writes yaml to a config file and loads it. With wantErr set it checks
// the error (one line, prefixed with the file, containing wantErr) and returns ok false.
func loadTestConfig(t *testing.T, yaml, wantErr string) (cfg Config, path string, ok bool) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "dcgw-scan.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) || !strings.HasPrefix(err.Error(), path+": ") {
			t.Fatalf("LoadConfig() error = %v, want %q prefixed with the file", err, wantErr)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error is not one line: %q", err)
		}
		return cfg, path, false
	}
	if err != nil {
		t.Fatalf("LoadConfig() error = %v", err)
	}
	return cfg, path, true
}

// TestStarterConfig checks the config init writes loads, with the defaults it claims.
func TestStarterConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "dcgw-scan.yaml")
	if err := os.WriteFile(path, []byte(StarterConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("the starter config does not load: %v", err)
	}
	want := Config{Params: policies.DefaultParams(), FailOn: "high", dir: dir}
	want.AllowedSpokes, want.AllowedSourceRanges = []string{}, []string{}
	want.UpstreamSubnets, want.EdgeLoadBalancers, want.PolicyDirs, want.DisabledRules = []string{}, []string{}, []string{}, []string{}
	want.Sources.Konnect = &KonnectSource{URL: "https://global.api.konghq.com"}
	want.Sources.DNS = &DNSSource{Timeout: "2s", timeout: 2 * time.Second, Hostnames: []string{}}
	if diff := cmp.Diff(want, cfg, configCmp...); diff != "" {
		t.Errorf("starter config (-want +got):\n%s", diff)
	}
	if bad := cfg.Sources.unavailable(); len(bad) != 0 {
		t.Errorf("the starter config names sources this version cannot collect: %v", bad)
	}
}
