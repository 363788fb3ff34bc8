package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	awscollector "github.com/dcgw-scan/dcgw-scan/collectors/aws"
	"github.com/dcgw-scan/dcgw-scan/collectors/azure"
	"github.com/dcgw-scan/dcgw-scan/collectors/dns"
	"github.com/dcgw-scan/dcgw-scan/collectors/konnect"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Sources that Collect accepts.
const (
	SourceKonnect = "konnect"
	SourceDNS     = "dns"
	SourceAWS     = "aws"
	SourceAzure   = "azure"
)

// CollectOptions are the settings of Collect. The AWS and Azure ones override the
// config's sources.aws / sources.azure; each is named by its flag in errors.
type CollectOptions struct {
	// Config is the config file (its sources section); empty: the defaults.
	Config string
	// Out is the snapshot file to write (required; written whole or not at all).
	Out string
	// KonnectURL overrides sources.konnect.url.
	KonnectURL string
	// AWS holds --profile, --role-arn, --role-name and --external-id.
	AWS AWSSource
	// Org reads every active account of the organization (with AWS.OrgRoleName).
	Org           bool
	Regions       []string
	Subscriptions []string
	Concurrency   int
	// Logger gets the progress; nil discards it.
	Logger *slog.Logger
}

// awsSourceFor is sources.aws with the options applied.
func (o CollectOptions) awsSourceFor(cfg Config) (AWSSource, error) {
	var src AWSSource
	if cfg.Sources.AWS != nil {
		src = *cfg.Sources.AWS
	}
	for _, v := range []struct{ flag, dst *string }{
		{&o.AWS.Profile, &src.Profile}, {&o.AWS.RoleARN, &src.RoleARN}, {&o.AWS.OrgRoleName, &src.OrgRoleName}, {&o.AWS.ExternalID, &src.ExternalID},
	} {
		if *v.flag != "" {
			*v.dst = *v.flag
		}
	}
	if o.Org != (o.AWS.OrgRoleName != "") && (o.Org || o.AWS.OrgRoleName != "") {
		return src, errors.New("--org and --role-name go together: --org --role-name NAME reads every account of the organization")
	}
	if regions := splitList(o.Regions); len(regions) > 0 {
		src.Regions = regions
	}
	if o.Concurrency != 0 {
		src.Concurrency = o.Concurrency
	}
	return src, src.validate()
}

// azureSourceFor is sources.azure with the options applied.
func (o CollectOptions) azureSourceFor(cfg Config) (AzureSource, error) {
	var src AzureSource
	if cfg.Sources.Azure != nil {
		src = *cfg.Sources.Azure
	}
	if subs := splitList(o.Subscriptions); len(subs) > 0 {
		src.Subscriptions = subs
	}
	if o.Concurrency != 0 {
		src.Concurrency = o.Concurrency
	}
	return src, src.validate()
}

// Collect collects one source (SourceKonnect, SourceDNS, SourceAWS or SourceAzure)
// into the snapshot file opts.Out and returns the snapshot written. What a collector
// could not read is a failed or partial scope of that snapshot, not an error; an error
// means nothing was written (ErrInterrupted when ctx stopped the collection).
func Collect(ctx context.Context, source string, opts CollectOptions) (*snapshot.Snapshot, error) {
	log := orDiscard(opts.Logger)
	if opts.Out == "" {
		return nil, errors.New("--out is required")
	}
	cfg, err := LoadConfig(opts.Config)
	if err != nil {
		return nil, err
	}
	if a := opts.AWS; source != SourceAWS && (a.Profile != "" || a.RoleARN != "" || a.OrgRoleName != "" || a.ExternalID != "" || opts.Org || len(opts.Regions) > 0) {
		return nil, fmt.Errorf("--profile, --role-arn, --org, --role-name, --external-id and --regions are for collect aws, not %s", source)
	}
	if source != SourceAzure && len(opts.Subscriptions) > 0 {
		return nil, fmt.Errorf("--subscription is for collect azure, not %s", source)
	}
	if opts.Concurrency != 0 && source != SourceAWS && source != SourceAzure {
		return nil, fmt.Errorf("--concurrency is for collect aws and azure, not %s", source)
	}
	var p plan
	switch source {
	case SourceKonnect:
		if cfg.declared != nil {
			return nil, fmt.Errorf("%s declares the Konnect side (konnect, line %d): there is nothing to collect from the API; check and scan use the declaration as it is",
				opts.Config, cfg.declared.line)
		}
		if p.konnect, err = newKonnectCollector(cfg, opts.KonnectURL); err != nil {
			return nil, err
		}
	case SourceDNS:
		if cfg.Sources.DNS == nil || len(cfg.Sources.DNS.Hostnames) == 0 {
			return nil, errors.New("nothing to resolve: sources.dns.hostnames is empty or missing in the config")
		}
		p.dns = newDNSCollector(cfg.Sources.DNS)
		p.hostnames = cfg.Sources.DNS.Hostnames
	case SourceAWS:
		src, err := opts.awsSourceFor(cfg)
		if err != nil {
			return nil, oneLine(err)
		}
		if p.aws, err = newAWSCollector(ctx, log, src); err != nil {
			return nil, err
		}
	case SourceAzure:
		src, err := opts.azureSourceFor(cfg)
		if err != nil {
			return nil, oneLine(err)
		}
		if p.azure, err = newAzureCollector(log, src); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("cannot collect %q: want konnect, dns, aws or azure (this version has no gcp collector)", source)
	}
	head, parts := p.run(ctx, log)
	if ctx.Err() != nil {
		return nil, interrupted("collect " + source)
	}
	data, doc, err := assemble(opts.Out, head, parts...)
	if err != nil {
		return nil, fmt.Errorf("the collected snapshot is not valid: %w", err)
	}
	if err := snapshot.WriteFile(opts.Out, data); err != nil {
		return nil, fmt.Errorf("save snapshot: %w", err)
	}
	log.Info("snapshot written", "path", opts.Out, "scopes", len(doc.Snapshot.Scopes))
	return doc.Snapshot, nil
}

// plan is the collectors one run uses; a nil collector is not run.
type plan struct {
	konnect *konnect.Collector
	dns     *dns.Collector
	aws     *awscollector.Collector
	azure   *azure.Collector
	// declared is the Konnect side the config declares, used instead of konnect.
	declared *declaredKonnect
	// hostnames are resolved by dns, with the custom domains konnect returns.
	hostnames []string
}

// run runs the collectors concurrently and returns what they read, for assemble: the
// head (schema version, collection time) and one part per source. DNS resolves the
// Konnect custom domains too, so it waits for Konnect. Collectors never fail: what
// they could not read is a failed or partial scope.
func (p plan) run(ctx context.Context, log *slog.Logger) (head *snapshot.Snapshot, parts []*snapshot.Snapshot) {
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
			log.Info("collecting", "source", SourceKonnect)
			k, kScopes = p.konnect.Collect(ctx)
			logScopes(log, SourceKonnect, kScopes)
			var names []string
			for _, d := range k.CustomDomains {
				names = append(names, d.Domain)
			}
			domains <- names
			return nil
		})
	} else if p.declared != nil {
		log.Info("using the Konnect side declared in the config", "networks", len(p.declared.konnect.Networks),
			"collections", strings.Join(p.declared.collections, ","))
		k, kScopes = p.declared.konnect, []snapshot.Scope{p.declared.scope()}
		domains <- p.declared.customDomains()
	} else {
		domains <- nil
	}
	if p.dns != nil {
		eg.Go(func() error {
			names := append(slices.Clone(p.hostnames), <-domains...)
			log.Info("collecting", "source", SourceDNS, "hostnames", len(names))
			resolutions, dnsScope = p.dns.Collect(ctx, names)
			logScopes(log, SourceDNS, []snapshot.Scope{dnsScope})
			return nil
		})
	}
	type cloud struct {
		name    string
		collect func(context.Context) *snapshot.Snapshot
	}
	var todo []cloud
	if p.aws != nil {
		todo = append(todo, cloud{SourceAWS, p.aws.Collect})
	}
	if p.azure != nil {
		todo = append(todo, cloud{SourceAzure, p.azure.Collect})
	}
	clouds := make([]*snapshot.Snapshot, len(todo))
	for i, c := range todo {
		eg.Go(func() error {
			log.Info("collecting", "source", c.name)
			clouds[i] = c.collect(ctx)
			logScopes(log, c.name, clouds[i].Scopes)
			return nil
		})
	}
	_ = eg.Wait() // the goroutines return nil: failures are scopes

	head = &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion, CollectedAt: time.Now().UTC().Format(time.RFC3339)}
	parts = append(parts, &snapshot.Snapshot{Konnect: k, Scopes: kScopes})
	if p.dns != nil {
		parts = append(parts, &snapshot.Snapshot{DNSResolutions: resolutions, Scopes: []snapshot.Scope{dnsScope}})
	}
	return head, append(parts, clouds...)
}

// logScopes reports a source's progress on stderr: a count at info, each scope that
// failed or is partial at warn. Scope messages never hold a token (the collectors
// redact them).
func logScopes(log *slog.Logger, source string, scopes []snapshot.Scope) {
	log.Info("collected", "source", source, "scopes", len(scopes), "incomplete", CountIncomplete(scopes))
	for _, s := range scopes {
		if s.Incomplete() {
			log.Warn("scope incomplete", "scope", s.Key(), "problem", s.Problem())
		}
	}
}

// CountIncomplete is how many scopes did not fully succeed.
func CountIncomplete(scopes []snapshot.Scope) int {
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
func newKonnectCollector(cfg Config, urlFlag string) (*konnect.Collector, error) {
	var src KonnectSource
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
	if err != nil && src.TokenFile == "" {
		// Neither KONNECT_TOKEN nor token_file: say both ways to go on.
		return nil, fmt.Errorf("no Konnect token for sources.konnect%s: set %s (a personal or system account access token) or sources.konnect.token_file; "+
			"without Konnect API access, drop sources.konnect and declare the Konnect side under a top-level konnect: key (README, \"First real scan\")",
			lineSuffix(cfg.Sources.lines["konnect"]), KonnectTokenEnv)
	}
	if err != nil {
		return nil, err
	}
	client, err := konnect.NewClient(base, token, src.clientOptions()...)
	if err != nil {
		return nil, err
	}
	return &konnect.Collector{Client: client, Org: src.Org}, nil
}

// lineSuffix is " (line N)", or "" for an unknown line.
func lineSuffix(line int) string {
	if line <= 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", line)
}

// newDNSCollector builds the DNS collector from sources.dns: its server (port 53
// unless given; empty: the system's resolver) and timeout.
func newDNSCollector(src *DNSSource) *dns.Collector {
	r := dns.Resolver{Server: src.Server, Timeout: src.timeout}
	if r.Server != "" {
		if _, _, err := net.SplitHostPort(r.Server); err != nil {
			r.Server = net.JoinHostPort(r.Server, "53")
		}
	}
	return &dns.Collector{Resolver: r}
}

// scanPlan is the plan of a scan: every configured source. A config naming a source
// this version cannot collect, or none, is an error.
func scanPlan(ctx context.Context, log *slog.Logger, cfg Config, konnectURL string) (plan, error) {
	if bad := cfg.Sources.unavailable(); len(bad) > 0 {
		return plan{}, fmt.Errorf("%s: no collector for it is available in this version of dcgw-scan (it collects konnect, dns, aws and azure); collect that estate elsewhere and run check on the snapshot",
			strings.Join(bad, ", "))
	}
	var p plan
	if cfg.Sources.Konnect != nil {
		var err error
		if p.konnect, err = newKonnectCollector(cfg, konnectURL); err != nil {
			return plan{}, err
		}
	}
	p.declared = cfg.declared
	if cfg.Sources.DNS != nil {
		p.dns = newDNSCollector(cfg.Sources.DNS)
		p.hostnames = cfg.Sources.DNS.Hostnames
	}
	if cfg.Sources.AWS != nil {
		var err error
		if p.aws, err = newAWSCollector(ctx, log, *cfg.Sources.AWS); err != nil {
			return plan{}, err
		}
	}
	if cfg.Sources.Azure != nil {
		var err error
		if p.azure, err = newAzureCollector(log, *cfg.Sources.Azure); err != nil {
			return plan{}, err
		}
	}
	if p.konnect == nil && p.dns == nil && p.declared == nil && p.aws == nil && p.azure == nil {
		return plan{}, errors.New("nothing to collect: the config has no sources (konnect, dns, aws, azure) and no konnect declaration (dcgw-scan init writes a starting config)")
	}
	return p, nil
}
