package app

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCallLimits covers max_attempts, timeout and call_timeout under sources.aws,
// sources.azure and sources.konnect: parsed, bounded, and an error names the file,
// the line and the key.
func TestCallLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		yaml    string
		want    map[string]CallLimits
		wantErr string
	}{
		{
			name: "every source",
			yaml: "sources:\n  aws:\n    max_attempts: 12\n    timeout: 10s\n    call_timeout: 5m\n" +
				"  azure:\n    max_attempts: 1\n  konnect:\n    call_timeout: 200ms\n",
			want: map[string]CallLimits{
				"aws":     {MaxAttempts: 12, Timeout: "10s", CallTimeout: "5m", timeout: 10 * time.Second, callTimeout: 5 * time.Minute},
				"azure":   {MaxAttempts: 1},
				"konnect": {CallTimeout: "200ms", callTimeout: 200 * time.Millisecond},
			},
		},
		{name: "absent: the defaults", yaml: "sources:\n  aws: {}\n", want: map[string]CallLimits{"aws": {}}},
		{name: "zero attempts", yaml: "sources:\n  aws:\n    regions: [us-east-1]\n    max_attempts: 0\n",
			wantErr: "line 4: sources.aws.max_attempts: 0 is out of range: want 1 to 50 tries"},
		{name: "too many attempts", yaml: "sources:\n  azure:\n    max_attempts: 1000\n",
			wantErr: "line 3: sources.azure.max_attempts: 1000 is out of range"},
		{name: "not a duration", yaml: "sources:\n  konnect:\n    timeout: 30\n",
			wantErr: `line 3: sources.konnect.timeout: "30" is not a Go duration (like 30s or 2m)`},
		{name: "empty duration", yaml: "sources:\n  konnect:\n    timeout: \"\"\n",
			wantErr: `line 3: sources.konnect.timeout: "" is not a Go duration`},
		{name: "zero timeout", yaml: "sources:\n  aws:\n    timeout: 0s\n",
			wantErr: "line 3: sources.aws.timeout: 0s is out of range: want 10ms to 10m0s"},
		{name: "call timeout too long", yaml: "sources:\n  aws:\n    call_timeout: 2h\n",
			wantErr: "line 3: sources.aws.call_timeout: 2h is out of range: want 10ms to 1h0m0s"},
		{name: "wrong type", yaml: "sources:\n  aws:\n    max_attempts: many\n", wantErr: "line 3: cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, _, ok := loadTestConfig(t, tt.yaml, tt.wantErr)
			if !ok {
				return
			}
			got := map[string]CallLimits{}
			if s := cfg.Sources.AWS; s != nil {
				got["aws"] = s.CallLimits
			}
			if s := cfg.Sources.Azure; s != nil {
				got["azure"] = s.CallLimits
			}
			if s := cfg.Sources.Konnect; s != nil {
				got["konnect"] = s.CallLimits
			}
			if d := cmp.Diff(tt.want, got, cmp.AllowUnexported(CallLimits{})); d != "" {
				t.Errorf("limits (-want +got):\n%s", d)
			}
		})
	}
}

// TestCallLimitsReachTheCollectors: the parsed limits are the collectors' settings.
// t.Setenv rules out t.Parallel.
func TestCallLimitsReachTheCollectors(t *testing.T) {
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
		"AWS_PROFILE": "", "AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "",
	} {
		t.Setenv(k, v)
	}
	cfg, _, _ := loadTestConfig(t, "sources:\n  aws:\n    max_attempts: 12\n    timeout: 5s\n    call_timeout: 1m\n"+
		"  azure:\n    max_attempts: 4\n    call_timeout: 2m\n", "")
	a, err := newAWSCollector(context.Background(), slog.New(slog.DiscardHandler), *cfg.Sources.AWS)
	if err != nil {
		t.Fatal(err)
	}
	if a.MaxAttempts != 12 || a.Timeout != 5*time.Second || a.CallTimeout != time.Minute {
		t.Errorf("AWS collector: %d tries, %v, %v; want 12, 5s, 1m", a.MaxAttempts, a.Timeout, a.CallTimeout)
	}
	z, err := newAzureCollector(slog.New(slog.DiscardHandler), *cfg.Sources.Azure)
	if err != nil {
		t.Fatal(err)
	}
	if z.MaxAttempts != 4 || z.Timeout != 0 || z.CallTimeout != 2*time.Minute {
		t.Errorf("Azure collector: %d tries, %v, %v; want 4, the default, 2m", z.MaxAttempts, z.Timeout, z.CallTimeout)
	}
}
