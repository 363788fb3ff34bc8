package aws

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/dcgw-scan/dcgw-scan/internal/awstest"
)

// testAccessKey is the access key id the test config signs with; manifests map it to
// their account (access_keys: {AKIDEXAMPLE: "111111111111"}).
const testAccessKey = "AKIDEXAMPLE"

// testConfig is an SDK config for srv: static credentials, the server as every
// service's endpoint, and the adaptive retryer with backoff short enough for tests.
func testConfig(srv *awstest.Server, region string) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(testAccessKey, "secret-not-used", ""),
		BaseEndpoint: aws.String(srv.URL),
		Retryer: func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
					so.Backoff = retry.NewExponentialJitterBackoff(5 * time.Millisecond)
				})
			})
		},
	}
}

// callLog collects the calls the guard reports, from any goroutine.
type callLog struct {
	mu    sync.Mutex
	calls []Call
}

func (l *callLog) record(c Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, c)
}

func (l *callLog) all() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Call(nil), l.calls...)
}

// runService runs one service for accountID in region against srv the way Collect
// runs a unit (the same guard and call recording), and returns the finished unit
// (u.out holds the entities, u.scope the scope) and the calls the guard saw.
func runService(t *testing.T, srv *awstest.Server, s service, accountID, region string) (*unit, []Call) {
	t.Helper()
	var log callLog
	c := &Collector{Config: testConfig(srv, region), OnCall: log.record}
	var n atomic.Int64
	r := &run{c: c, services: []service{s}, calls: &n}
	scopeRegion := region
	if s.global {
		region, scopeRegion = globalCallRegion, "global"
	}
	u := r.runUnit(context.Background(), account{id: accountID, cfg: c.baseConfig(&n)}, s, region, scopeRegion)
	return u, log.all()
}
