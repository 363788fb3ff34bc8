package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	awscollector "github.com/dcgw-scan/dcgw-scan/collectors/aws"
	"github.com/dcgw-scan/dcgw-scan/collectors/azure"
	"github.com/dcgw-scan/dcgw-scan/collectors/dns"
	"github.com/dcgw-scan/dcgw-scan/collectors/konnect"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Sources that collect accepts.
const (
	sourceKonnect = "konnect"
	sourceDNS     = "dns"
	sourceAWS     = "aws"
	sourceAzure   = "azure"
)

type collectFlags struct {
	config     string
	out        string
	konnectURL string
	// AWS and Azure flags override sources.aws / sources.azure.
	aws           awsSource
	org           bool
	regions       []string
	subscriptions []string
	concurrency   int
}

func newCollectCmd(g *globals) *cobra.Command {
	var f collectFlags
	cmd := &cobra.Command{
		Use:   "collect konnect|dns|aws|azure --out FILE",
		Short: "Collect one source into a snapshot file",
		Long: `Collect one source into a snapshot file, for check to evaluate later.

konnect reads the Konnect cloud-gateways API (sources.konnect in the config; the token
from KONNECT_TOKEN, else sources.konnect.token_file). dns resolves sources.dns.hostnames.

aws reads every enabled region (or --regions) of one account, the account of --role-arn,
or with --org --role-name every active account of the organization; credentials come from
the SDK's standard chain (environment, --profile / AWS_PROFILE, SSO, instance roles), and
AWS_ENDPOINT_URL[_<SERVICE>] redirects calls. Only Describe/List/Get/Search calls are made:
'dcgw-scan iam-policy aws' prints the policy they need.

azure reads every subscription the credential can list (or --subscription), with
DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI).

Flags override the config's sources section. Exit codes: 0 every scope collected,
2 usage/config error (no file written), 3 a scope failed or is partial (the snapshot is
still written and says why).`,
		Example: `  KONNECT_TOKEN=kpat_… dcgw-scan collect konnect --out konnect.json
  dcgw-scan collect dns --config dcgw-scan.yaml --out dns.json
  dcgw-scan collect aws --profile prod --regions eu-west-1,us-east-1 --out aws.json
  dcgw-scan collect aws --org --role-name DcgwScanReadOnly --out aws.json
  dcgw-scan collect azure --subscription 00000000-0000-0000-0000-000000000000 --out azure.json`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{sourceKonnect, sourceDNS, sourceAWS, sourceAzure},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCollect(cmd.Context(), g, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.config, "config", "c", "", "YAML config file (its sources section)")
	fl.StringVar(&f.out, "out", "", "snapshot file to write (required; written whole or not at all)")
	fl.StringVar(&f.konnectURL, "konnect-url", "", "Konnect API base URL (overrides sources.konnect.url)")
	fl.StringVar(&f.aws.Profile, "profile", "", "aws: shared config profile")
	fl.StringVar(&f.aws.RoleARN, "role-arn", "", "aws: role to assume; its account is read")
	fl.BoolVar(&f.org, "org", false, "aws: read every active account of the organization (with --role-name)")
	fl.StringVar(&f.aws.OrgRoleName, "role-name", "", "aws: with --org, the role assumed in each member account")
	fl.StringVar(&f.aws.ExternalID, "external-id", "", "aws: external id for AssumeRole")
	fl.StringSliceVar(&f.regions, "regions", nil, "aws: regions to read, comma-separated (default: each account's enabled regions)")
	fl.StringArrayVar(&f.subscriptions, "subscription", nil, "azure: subscription id to read (repeatable; default: every subscription the credential lists)")
	fl.IntVar(&f.concurrency, "concurrency", 0, "aws, azure: units of work in flight (default 128 for aws, 8 for azure)")
	return cmd
}

// awsSourceFor is sources.aws with the flags applied.
func (f collectFlags) awsSourceFor(cfg config) (awsSource, error) {
	var src awsSource
	if cfg.Sources.AWS != nil {
		src = *cfg.Sources.AWS
	}
	for _, v := range []struct{ flag, dst *string }{
		{&f.aws.Profile, &src.Profile}, {&f.aws.RoleARN, &src.RoleARN}, {&f.aws.OrgRoleName, &src.OrgRoleName}, {&f.aws.ExternalID, &src.ExternalID},
	} {
		if *v.flag != "" {
			*v.dst = *v.flag
		}
	}
	if f.org != (f.aws.OrgRoleName != "") && (f.org || f.aws.OrgRoleName != "") {
		return src, errors.New("--org and --role-name go together: --org --role-name NAME reads every account of the organization")
	}
	if regions := splitList(f.regions); len(regions) > 0 {
		src.Regions = regions
	}
	if f.concurrency != 0 {
		src.Concurrency = f.concurrency
	}
	return src, src.validate()
}

// azureSourceFor is sources.azure with the flags applied.
func (f collectFlags) azureSourceFor(cfg config) (azureSource, error) {
	var src azureSource
	if cfg.Sources.Azure != nil {
		src = *cfg.Sources.Azure
	}
	if subs := splitList(f.subscriptions); len(subs) > 0 {
		src.Subscriptions = subs
	}
	if f.concurrency != 0 {
		src.Concurrency = f.concurrency
	}
	return src, src.validate()
}

func runCollect(ctx context.Context, g *globals, source string, f collectFlags) error {
	if f.out == "" {
		return usageError(errors.New("--out is required"))
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return usageError(err)
	}
	if a := f.aws; source != sourceAWS && (a.Profile != "" || a.RoleARN != "" || a.OrgRoleName != "" || a.ExternalID != "" || f.org || len(f.regions) > 0) {
		return usageError(fmt.Errorf("--profile, --role-arn, --org, --role-name, --external-id and --regions are for collect aws, not %s", source))
	}
	if source != sourceAzure && len(f.subscriptions) > 0 {
		return usageError(fmt.Errorf("--subscription is for collect azure, not %s", source))
	}
	if f.concurrency != 0 && source != sourceAWS && source != sourceAzure {
		return usageError(fmt.Errorf("--concurrency is for collect aws and azure, not %s", source))
	}
	var p collectPlan
	switch source {
	case sourceKonnect:
		if cfg.declared != nil {
			return usageError(fmt.Errorf("%s declares the Konnect side (konnect, line %d): there is nothing to collect from the API; check and scan use the declaration as it is",
				f.config, cfg.declared.line))
		}
		if p.konnect, err = newKonnectCollector(cfg, f.konnectURL); err != nil {
			return usageError(err)
		}
	case sourceDNS:
		if cfg.Sources.DNS == nil || len(cfg.Sources.DNS.Hostnames) == 0 {
			return usageError(errors.New("nothing to resolve: sources.dns.hostnames is empty or missing in the config"))
		}
		p.dns = newDNSCollector(cfg.Sources.DNS)
		p.hostnames = cfg.Sources.DNS.Hostnames
	case sourceAWS:
		src, err := f.awsSourceFor(cfg)
		if err != nil {
			return usageError(oneLine(err))
		}
		if p.aws, err = newAWSCollector(ctx, g, src); err != nil {
			return usageError(err)
		}
	case sourceAzure:
		src, err := f.azureSourceFor(cfg)
		if err != nil {
			return usageError(oneLine(err))
		}
		if p.azure, err = newAzureCollector(g, src); err != nil {
			return usageError(err)
		}
	default:
		return usageError(fmt.Errorf("cannot collect %q: want konnect, dns, aws or azure (this version has no gcp collector)", source))
	}
	snap := p.run(ctx, g)
	if ctx.Err() != nil {
		return interrupted("collect " + source)
	}
	if err := snapshot.Save(f.out, snap); err != nil {
		return usageError(err)
	}
	g.logger.Info("snapshot written", "path", f.out, "scopes", len(snap.Scopes))
	if n := countIncomplete(snap.Scopes); n > 0 {
		return &exitError{code: exitIncomplete, err: fmt.Errorf(
			"collect %s: %d of %d scopes failed or are partial; %s records why", source, n, len(snap.Scopes), f.out)}
	}
	return nil
}

// collectPlan is the collectors one run uses; a nil collector is not run.
type collectPlan struct {
	konnect *konnect.Collector
	dns     *dns.Collector
	aws     *awscollector.Collector
	azure   *azure.Collector
	// declared is the Konnect side the config declares, used instead of konnect.
	declared *declaredKonnect
	// hostnames are resolved by dns, with the custom domains konnect returns.
	hostnames []string
}

// run runs the collectors concurrently and merges what they return into one sorted
// snapshot. DNS resolves the Konnect custom domains too, so it waits for Konnect.
// Collectors never fail: what they could not read is a failed or partial scope.
func (p collectPlan) run(ctx context.Context, g *globals) *snapshot.Snapshot {
	var (
		eg          errgroup.Group
		k           snapshot.Konnect
		kScopes     []snapshot.Scope
		resolutions []snapshot.DNSResolution
		dnsScope    snapshot.Scope
	)
	domains := make(chan []string, 1)
	if p.konnect != nil {
		eg.Go(func() error {
			g.logger.Info("collecting", "source", sourceKonnect)
			k, kScopes = p.konnect.Collect(ctx)
			logScopes(g, sourceKonnect, kScopes)
			var names []string
			for _, d := range k.CustomDomains {
				names = append(names, d.Domain)
			}
			domains <- names
			return nil
		})
	} else if p.declared != nil {
		g.logger.Info("using the Konnect side declared in the config", "networks", len(p.declared.konnect.Networks),
			"collections", strings.Join(p.declared.collections, ","))
		k, kScopes = p.declared.konnect, []snapshot.Scope{p.declared.scope()}
		domains <- p.declared.customDomains()
	} else {
		domains <- nil
	}
	if p.dns != nil {
		eg.Go(func() error {
			names := append(slices.Clone(p.hostnames), <-domains...)
			g.logger.Info("collecting", "source", sourceDNS, "hostnames", len(names))
			resolutions, dnsScope = p.dns.Collect(ctx, names)
			logScopes(g, sourceDNS, []snapshot.Scope{dnsScope})
			return nil
		})
	}
	type cloud struct {
		name    string
		collect func(context.Context) *snapshot.Snapshot
	}
	var todo []cloud
	if p.aws != nil {
		todo = append(todo, cloud{sourceAWS, p.aws.Collect})
	}
	if p.azure != nil {
		todo = append(todo, cloud{sourceAzure, p.azure.Collect})
	}
	clouds := make([]*snapshot.Snapshot, len(todo))
	for i, c := range todo {
		eg.Go(func() error {
			g.logger.Info("collecting", "source", c.name)
			clouds[i] = c.collect(ctx)
			logScopes(g, c.name, clouds[i].Scopes)
			return nil
		})
	}
	_ = eg.Wait() // the goroutines return nil: failures are scopes

	snap := &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		CollectedAt:   time.Now().UTC().Format(time.RFC3339),
		Konnect:       k,
	}
	snap.Scopes = append(snap.Scopes, kScopes...)
	if p.dns != nil {
		snap.DNSResolutions = resolutions
		snap.Scopes = append(snap.Scopes, dnsScope)
	}
	for _, c := range clouds {
		snap.Merge(c)
	}
	if p.azure != nil {
		// Konnect spells Azure ids as the customer typed them; use Azure's spelling.
		snap.NormalizeIDs()
	}
	snap.Sort()
	return snap
}

// logScopes reports a source's progress on stderr: a count at info, each scope that
// failed or is partial at warn. Scope messages never hold a token (the collectors
// redact them).
func logScopes(g *globals, source string, scopes []snapshot.Scope) {
	g.logger.Info("collected", "source", source, "scopes", len(scopes), "incomplete", countIncomplete(scopes))
	for _, s := range scopes {
		if s.Incomplete() {
			g.logger.Warn("scope incomplete", "scope", s.Key(), "problem", s.Problem())
		}
	}
}

// countIncomplete is how many scopes did not fully succeed.
func countIncomplete(scopes []snapshot.Scope) int {
	n := 0
	for _, s := range scopes {
		if s.Incomplete() {
			n++
		}
	}
	return n
}

// newKonnectCollector builds the Konnect collector from sources.konnect (absent: the
// defaults) and --konnect-url. The token's value never appears in an error.
func newKonnectCollector(cfg config, urlFlag string) (*konnect.Collector, error) {
	var src konnectSource
	if cfg.Sources.Konnect != nil {
		src = *cfg.Sources.Konnect
	}
	base := konnect.DefaultBaseURL
	for _, u := range []string{src.URL, urlFlag} {
		if u != "" {
			base = u
		}
	}
	token, err := cfg.konnectToken()
	if err != nil {
		return nil, err
	}
	client, err := konnect.NewClient(base, token)
	if err != nil {
		return nil, err
	}
	return &konnect.Collector{Client: client, Org: src.Org}, nil
}

// newDNSCollector builds the DNS collector from sources.dns: its server (port 53
// unless given; empty: the system's resolver) and timeout.
func newDNSCollector(src *dnsSource) *dns.Collector {
	r := dns.Resolver{Server: src.Server, Timeout: src.timeout}
	if r.Server != "" {
		if _, _, err := net.SplitHostPort(r.Server); err != nil {
			r.Server = net.JoinHostPort(r.Server, "53")
		}
	}
	return &dns.Collector{Resolver: r}
}

// collectorsFor is the plan of a scan: every configured source. A config naming a
// source this version cannot collect, or none, is an error.
func collectorsFor(ctx context.Context, g *globals, cfg config, konnectURL string) (collectPlan, error) {
	if bad := cfg.Sources.unavailable(); len(bad) > 0 {
		return collectPlan{}, fmt.Errorf("%s: no collector for it is available in this version of dcgw-scan (it collects konnect, dns, aws and azure); collect that estate elsewhere and run check on the snapshot",
			strings.Join(bad, ", "))
	}
	var p collectPlan
	if cfg.Sources.Konnect != nil {
		var err error
		if p.konnect, err = newKonnectCollector(cfg, konnectURL); err != nil {
			return collectPlan{}, err
		}
	}
	p.declared = cfg.declared
	if cfg.Sources.DNS != nil {
		p.dns = newDNSCollector(cfg.Sources.DNS)
		p.hostnames = cfg.Sources.DNS.Hostnames
	}
	if cfg.Sources.AWS != nil {
		var err error
		if p.aws, err = newAWSCollector(ctx, g, *cfg.Sources.AWS); err != nil {
			return collectPlan{}, err
		}
	}
	if cfg.Sources.Azure != nil {
		var err error
		if p.azure, err = newAzureCollector(g, *cfg.Sources.Azure); err != nil {
			return collectPlan{}, err
		}
	}
	if p.konnect == nil && p.dns == nil && p.declared == nil && p.aws == nil && p.azure == nil {
		return collectPlan{}, errors.New("nothing to collect: the config has no sources (konnect, dns, aws, azure) and no konnect declaration (dcgw-scan init writes a starting config)")
	}
	return p, nil
}
