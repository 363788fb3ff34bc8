package aws

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
	"github.com/dcgw-scan/dcgw-scan/internal/nettest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// oneAccount is the recorded one-account estate (account 111111111111, us-east-1) that
// every service reads: the EC2 and edge estates plus who is calling.
var oneAccount = []string{"testdata/ec2/responses.yaml", "testdata/edge/responses.yaml", "testdata/e2e/responses.yaml"}

// productionConfig is an SDK config for endpoint with static credentials and no
// retryer, so the Collector builds its own, as in production.
func productionConfig(endpoint string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(testAccessKey, "secret-not-used", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// shortWaits makes the production retryer's waits short: a 1 ms backoff cap, and no
// client-side rate (the adaptive rate falls to 0.5 requests a second after a throttle,
// which would make the test take seconds; the tries are what is tested).
func shortWaits(o *retry.AdaptiveModeOptions) {
	o.RequestCost = 0
	o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
		so.MaxBackoff = time.Millisecond
		so.Backoff = retry.NewExponentialJitterBackoff(time.Millisecond)
	})
}

// throttleManifest writes a manifest that answers the first `times` DescribeSecurityGroupRules
// calls with an EC2 Query API throttling error (HTTP 400) of code.
func throttleManifest(t *testing.T, code string, times int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "throttled.yaml")
	text := fmt.Sprintf(`responses:
  - {service: ec2, operation: DescribeSecurityGroupRules, times: %d, error: {code: %s, message: Rate exceeded, status: 400}}
`, times, code)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCollectAbsorbsThrottling: five throttles in a row of one call in a one-account
// scan cost no scope with the default attempts; the SDK's default of 3 lost the
// account's security groups.
func TestCollectAbsorbsThrottling(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		code        string
		maxAttempts int // 0: the default
		wantTries   int
		wantFailed  string
	}{
		{name: "RequestLimitExceeded", code: "RequestLimitExceeded", wantTries: 6},
		{name: "ThrottlingException", code: "ThrottlingException", wantTries: 6},
		{name: "the SDK's 3 attempts", code: "RequestLimitExceeded", maxAttempts: 3, wantTries: 3,
			wantFailed: "aws/111111111111/us-east-1/ec2-security-groups failed throttled:DescribeSecurityGroupRules"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := awstest.Start(t, append([]string{throttleManifest(t, tc.code, 5)}, oneAccount...)...)
			c := &Collector{
				Config: productionConfig(srv.URL), Regions: []string{"us-east-1"},
				MaxAttempts: tc.maxAttempts, retryTuning: shortWaits,
			}
			start := time.Now()
			snap := c.Collect(context.Background())
			took := time.Since(start)

			var failed []string
			for _, line := range scopeSummary(snap.Scopes) {
				if !strings.HasSuffix(line, " ok") {
					failed = append(failed, line)
				}
			}
			if got := strings.Join(failed, "; "); got != tc.wantFailed {
				t.Errorf("incomplete scopes: %q, want %q", got, tc.wantFailed)
			}
			tries := 0
			for _, call := range srv.Calls() {
				if call.Operation == "DescribeSecurityGroupRules" && call.Params["NextToken"] == "" {
					tries++
				}
			}
			if tries != tc.wantTries {
				t.Errorf("DescribeSecurityGroupRules first page tried %d times, want %d", tries, tc.wantTries)
			}
			if took > 10*time.Second {
				t.Errorf("collection took %v: the backoff is not the test's", took)
			}
		})
	}
}

// TestCollectSilentEndpoint: an endpoint that accepts connections and never answers
// (AWS_ENDPOINT_URL at a hung proxy) ends the collection within the configured
// timeouts, and the identity call that runs before every unit fails as a timeout
// scope. Without a response-header timeout and a call deadline it waited forever.
func TestCollectSilentEndpoint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                 string
		timeout, callTimeout time.Duration
		wantTries            int
		wantMessage          string
	}{
		// The call deadline ends the call, however many tries are left.
		{name: "call deadline", timeout: time.Minute, callTimeout: 200 * time.Millisecond, wantTries: 1,
			wantMessage: "no answer within the call timeout of 200ms"},
		// Each try gives up waiting for the response headers after the timeout; a call
		// with no answer at all is tried 3 times, not max_attempts (10) times.
		{name: "try timeout", timeout: 100 * time.Millisecond, callTimeout: time.Minute, wantTries: 3,
			wantMessage: "no answer in 3 tries"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			silent := nettest.Silent(t)
			c := &Collector{
				Config: productionConfig("http://" + silent.Addr), Regions: []string{"us-east-1"},
				Timeout: tc.timeout, CallTimeout: tc.callTimeout, retryTuning: shortWaits,
			}
			start := time.Now()
			snap := c.Collect(context.Background())
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("collection took %v", took)
			}
			if len(snap.Scopes) != 1 {
				t.Fatalf("scopes %v, want the identity scope only", scopeSummary(snap.Scopes))
			}
			s := snap.Scopes[0]
			if s.Key() != "aws//global/identity" || s.Status != snapshot.ScopeFailed || len(s.Errors) != 1 ||
				s.Errors[0].Class != snapshot.ClassTimeout || !strings.Contains(s.Errors[0].Message, tc.wantMessage) {
				t.Errorf("scope %s %s %+v, want failed with a timeout saying %q", s.Key(), s.Status, s.Errors, tc.wantMessage)
			}
			if n := silent.Accepted(); n != tc.wantTries {
				t.Errorf("%d tries, want %d", n, tc.wantTries)
			}
		})
	}
}

// TestCollectSilentEndpointAssumeRole: with a role to assume, the AssumeRole behind
// every unit is a call with the same deadline: each unit fails as a timeout.
func TestCollectSilentEndpointAssumeRole(t *testing.T) {
	t.Parallel()
	c := &Collector{
		Config:  productionConfig("http://" + nettest.Silent(t).Addr),
		RoleARN: "arn:aws:iam::222222222222:role/DcgwScan", Regions: []string{"us-east-1"},
		CallTimeout: 200 * time.Millisecond, retryTuning: shortWaits,
		services: []service{testVPCs, testZones},
	}
	start := time.Now()
	snap := c.Collect(context.Background())
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("collection took %v", took)
	}
	for _, s := range snap.Scopes {
		if s.Status != snapshot.ScopeFailed || len(s.Errors) == 0 || s.Errors[0].Class != snapshot.ClassTimeout {
			t.Errorf("scope %s %s %+v, want failed with class timeout", s.Key(), s.Status, s.Errors)
		}
	}
	if len(snap.Scopes) != 2 {
		t.Errorf("scopes %v, want both units", scopeSummary(snap.Scopes))
	}
}
