package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"

	awscollector "github.com/dcgw-scan/dcgw-scan/collectors/aws"
	"github.com/dcgw-scan/dcgw-scan/collectors/azure"
)

// AWSSource configures the AWS collector (sources.aws). Credentials come from the SDK's
// standard chain (environment, shared config and SSO profiles, web identity, instance
// roles); none is ever part of the config.
type AWSSource struct {
	// Profile is a shared config profile (AWS_PROFILE otherwise).
	Profile string `yaml:"profile"`
	// RoleARN is a role to assume first: its account is the estate.
	RoleARN string `yaml:"role_arn"`
	// OrgRoleName scans every active account of the organization by assuming this
	// role in each.
	OrgRoleName string `yaml:"org_role_name"`
	// ExternalID is passed to AssumeRole.
	ExternalID string `yaml:"external_id"`
	// Regions to read; empty means each account's enabled regions.
	Regions []string `yaml:"regions"`
	// Concurrency bounds the (account, region, service) units in flight.
	Concurrency int `yaml:"concurrency"`
	// CallLimits are max_attempts, timeout and call_timeout.
	CallLimits `yaml:",inline"`
}

// AzureSource configures the Azure collector (sources.azure). Credentials come from
// DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI).
type AzureSource struct {
	// Subscriptions to read; empty means every subscription the credential can list.
	Subscriptions []string `yaml:"subscriptions"`
	// Concurrency bounds the (subscription, resource type) units in flight.
	Concurrency int `yaml:"concurrency"`
	// CallLimits are max_attempts, timeout and call_timeout.
	CallLimits `yaml:",inline"`
}

var (
	roleARNRE     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$`)
	roleNameRE    = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	regionRE      = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	azureSubRE    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	errOrgAndRole = errors.New("role_arn and org_role_name both set: give one (role_arn reads one account, org_role_name every account of the organization)")
)

// validate checks the AWS source's values.
func (s *AWSSource) validate() error {
	var errs []error
	if s.RoleARN != "" && !roleARNRE.MatchString(s.RoleARN) {
		errs = append(errs, fmt.Errorf("sources.aws.role_arn: %q is not an IAM role ARN (arn:aws:iam::123456789012:role/name)", s.RoleARN))
	}
	if s.OrgRoleName != "" && !roleNameRE.MatchString(s.OrgRoleName) {
		errs = append(errs, fmt.Errorf("sources.aws.org_role_name: %q is not an IAM role name", s.OrgRoleName))
	}
	if s.RoleARN != "" && s.OrgRoleName != "" {
		errs = append(errs, fmt.Errorf("sources.aws: %w", errOrgAndRole))
	}
	for i, r := range s.Regions {
		if !regionRE.MatchString(r) {
			errs = append(errs, fmt.Errorf("sources.aws.regions[%d]: %q is not an AWS region name (like eu-west-1)", i, r))
		}
	}
	if s.Concurrency < 0 {
		errs = append(errs, fmt.Errorf("sources.aws.concurrency: %d is negative", s.Concurrency))
	}
	return errors.Join(errs...)
}

// validate checks the Azure source's values.
func (s *AzureSource) validate() error {
	var errs []error
	for i, sub := range s.Subscriptions {
		if !azureSubRE.MatchString(sub) {
			errs = append(errs, fmt.Errorf("sources.azure.subscriptions[%d]: %q is not a subscription id (a GUID)", i, sub))
		}
	}
	if s.Concurrency < 0 {
		errs = append(errs, fmt.Errorf("sources.azure.concurrency: %d is negative", s.Concurrency))
	}
	return errors.Join(errs...)
}

// newAWSCollector builds the AWS collector from sources.aws. The SDK's config loading
// reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, so emulators and proxies work.
// The credential chain's own calls (SSO, web identity, instance metadata) get the
// same try timeouts and call deadline as the collector's.
func newAWSCollector(ctx context.Context, log *slog.Logger, src AWSSource) (*awscollector.Collector, error) {
	try := cmp.Or(src.timeout, awscollector.DefaultTimeout)
	callTimeout := cmp.Or(src.callTimeout, awscollector.DefaultCallTimeout)
	client := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = try }).
		WithTransportOptions(func(t *http.Transport) { t.TLSHandshakeTimeout, t.ResponseHeaderTimeout = try, try })
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithHTTPClient(client)}
	if src.Profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(src.Profile))
	}
	// The SDK's own log lines (retries, IMDS fallbacks) go to our logger at debug.
	opts = append(opts, awsconfig.WithLogger(sdkLogger{log}))
	lctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	cfg, err := awsconfig.LoadDefaultConfig(lctx, opts...)
	if err != nil {
		// The SDK names the profile or file; it never quotes a secret.
		return nil, fmt.Errorf("AWS config: %w", err)
	}
	// Credentials that cannot be found are a setup mistake, not an unreadable scope:
	// say so before any work (the chain's message names what it tried). A chain that
	// does not answer in time is a network problem: the first call of the collection
	// meets it again and fails its scope as a timeout.
	if _, err := cfg.Credentials.Retrieve(lctx); err != nil {
		if lctx.Err() == nil || ctx.Err() != nil {
			return nil, fmt.Errorf("no usable AWS credentials (environment, profile, SSO or instance role): %w", err)
		}
		log.Warn("AWS credentials: no answer within the call timeout", "call_timeout", callTimeout)
	}
	c := &awscollector.Collector{
		Config: cfg, RoleARN: src.RoleARN, OrgRoleName: src.OrgRoleName, ExternalID: src.ExternalID,
		Regions: src.Regions, Concurrency: src.Concurrency, Logger: log,
		MaxAttempts: src.MaxAttempts, Timeout: src.timeout, CallTimeout: src.callTimeout,
	}
	c.Progress = throttledProgress(log, "aws", func(p awscollector.Progress) []any {
		return []any{"accounts", p.Accounts, "regions", p.Regions, "units", fmt.Sprintf("%d/%d", p.Done, p.Total), "calls", p.Calls, "incomplete", p.Failed}
	}, func(p awscollector.Progress) bool { return p.Done == p.Total })
	return c, nil
}

// newAzureCollector builds the Azure collector from sources.azure.
func newAzureCollector(log *slog.Logger, src AzureSource) (*azure.Collector, error) {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("Azure credential: %w", err)
	}
	c := &azure.Collector{
		Credential: cred, Subscriptions: src.Subscriptions, Concurrency: src.Concurrency, Logger: log,
		MaxAttempts: src.MaxAttempts, Timeout: src.timeout, CallTimeout: src.callTimeout,
	}
	report := throttledProgress(log, "azure", func(p [2]int) []any {
		return []any{"units", fmt.Sprintf("%d/%d", p[0], p[1])}
	}, func(p [2]int) bool { return p[0] == p[1] })
	c.Progress = func(done, total int) { report([2]int{done, total}) }
	return c, nil
}

// sdkLogger sends the AWS SDK's log lines to slog at debug.
type sdkLogger struct{ l *slog.Logger }

// Logf implements the SDK's logging.Logger.
func (s sdkLogger) Logf(classification logging.Classification, format string, v ...any) {
	s.l.Debug(fmt.Sprintf(format, v...), "source", "aws-sdk", "class", string(classification))
}

// throttledProgress logs a collector's progress at info (shown on a terminal) at most
// once a second, and always the last report.
func throttledProgress[P any](l *slog.Logger, source string, attrs func(P) []any, last func(P) bool) func(P) {
	var (
		mu   sync.Mutex
		next time.Time
	)
	return func(p P) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if now.Before(next) && !last(p) {
			return
		}
		next = now.Add(time.Second)
		l.Info("progress", append([]any{"source", source}, attrs(p)...)...)
	}
}

// splitList splits comma-separated flag values.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
