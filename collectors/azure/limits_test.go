package azure

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/dcgw-scan/dcgw-scan/internal/nettest"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// TestDefaultAttemptsAbsorbThrottling: five 429s in a row of one listing cost no scope
// with the default tries; the SDK's default of 4 lost the subscription's NSGs.
func TestDefaultAttemptsAbsorbThrottling(t *testing.T) {
	t.Parallel()
	nsgs := strings.ToLower("/subscriptions/" + subMain + "/providers/Microsoft.Network/networkSecurityGroups")
	for _, tc := range []struct {
		name        string
		maxAttempts int
		wantFailed  string
	}{
		{name: "default"},
		{name: "the SDK's 4", maxAttempts: 4, wantFailed: "azure/" + subMain + "/global/network-security-groups"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeAzure{t: t, estates: map[string]*estate{subMain: mainEstate(t)}, throttle: map[string]int{nsgs: 5}}
			c := f.collector()
			c.ClientOptions.Retry.MaxRetries = 0 // the Collector's default
			c.MaxAttempts = tc.maxAttempts
			c.Subscriptions = []string{subMain}
			snap := c.Collect(context.Background())
			var failed []string
			for _, s := range snap.Scopes {
				if s.Incomplete() {
					failed = append(failed, s.Key())
				}
			}
			if got := strings.Join(failed, " "); got != tc.wantFailed {
				t.Errorf("incomplete scopes %q, want %q", got, tc.wantFailed)
			}
			tries := 0
			for _, r := range f.log() {
				if strings.EqualFold(strings.TrimPrefix(r, "GET "), nsgs) {
					tries++
				}
			}
			if want := map[int]int{0: 6, 4: 4}[tc.maxAttempts]; tries != want {
				t.Errorf("NSG listing tried %d times, want %d", tries, want)
			}
		})
	}
}

// TestSilentEndpoint: a Resource Manager endpoint that accepts connections and never
// answers ends the collection within the configured timeouts, each scope failed as a
// timeout that says so.
func TestSilentEndpoint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                 string
		timeout, callTimeout time.Duration
		subscriptions        []string
		wantScopes           int
		wantTries            int // 0: not counted
		wantMessage          string
	}{
		{name: "subscription listing, call deadline", timeout: time.Minute, callTimeout: 200 * time.Millisecond,
			wantScopes: 1, wantTries: 1, wantMessage: "GET /subscriptions: no answer within the call timeout of 200ms"},
		{name: "every unit, call deadline", timeout: time.Minute, callTimeout: 200 * time.Millisecond,
			subscriptions: []string{subMain}, wantScopes: len(services), wantMessage: "no answer within the call timeout of 200ms"},
		// Each try gives up waiting for the response headers; a call with no answer at
		// all is tried 3 times, not max_attempts (10) times.
		{name: "subscription listing, try timeout", timeout: 100 * time.Millisecond, callTimeout: time.Minute,
			wantScopes: 1, wantTries: 3, wantMessage: "no answer in 3 tries"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			silent := nettest.Silent(t)
			c := &Collector{
				Credential: &azfake.TokenCredential{},
				ClientOptions: &arm.ClientOptions{ClientOptions: azcore.ClientOptions{
					Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
						cloud.ResourceManager: {Endpoint: "http://" + silent.Addr, Audience: "https://management.azure.com"},
					}},
					InsecureAllowCredentialWithHTTP: true,
					Retry:                           policy.RetryOptions{RetryDelay: time.Millisecond, MaxRetryDelay: time.Millisecond},
				}},
				Subscriptions: tc.subscriptions, Concurrency: len(services),
				Timeout: tc.timeout, CallTimeout: tc.callTimeout,
			}
			start := time.Now()
			snap := c.Collect(context.Background())
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("collection took %v", took)
			}
			if n := silent.Accepted(); tc.wantTries > 0 && n != tc.wantTries {
				t.Errorf("%d tries, want %d", n, tc.wantTries)
			}
			if len(snap.Scopes) != tc.wantScopes {
				t.Errorf("%d scopes, want %d", len(snap.Scopes), tc.wantScopes)
			}
			for _, s := range snap.Scopes {
				if s.Status != snapshot.ScopeFailed || len(s.Errors) != 1 ||
					s.Errors[0].Class != snapshot.ClassTimeout || !strings.Contains(s.Errors[0].Message, tc.wantMessage) {
					t.Errorf("scope %s %s %+v, want failed with a timeout saying %q", s.Key(), s.Status, s.Errors, tc.wantMessage)
				}
			}
		})
	}
}
