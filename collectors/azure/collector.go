// Package azure reads the customer's Azure network estate into the snapshot model:
// VNets with their subnets and peerings, route tables, Virtual WAN hubs with their route
// tables and connections, NSGs, public and private DNS, Application Gateways and Front
// Door Standard/Premium. It only calls GET operations (see Operations).
package azure

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"
	"golang.org/x/sync/errgroup"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// Scope services, one per resource type; every scope is (azure, subscription, "global",
// service). Azure listings are per subscription, not per region.
const (
	ServiceSubscriptions     = "subscriptions"
	ServiceVirtualNetworks   = "virtual-networks"
	ServiceRouteTables       = "route-tables"
	ServiceSecurityGroups    = "network-security-groups"
	ServiceVirtualWANs       = "virtual-wans"
	ServiceDNSZones          = "dns-zones"
	ServicePrivateDNSZones   = "private-dns-zones"
	ServiceApplicationGWs    = "application-gateways"
	ServiceFrontDoor         = "front-door"
	defaultConcurrency       = 8
	providerAzure            = "azure"
	regionGlobal             = "global"
	subscriptionsUnavailable = "subscriptions could not be listed"
)

// services lists every per-subscription unit with the collections it fills, in the
// order they are run.
var services = []struct {
	name        string
	collections []string
	run         func(*unit) error
}{
	{ServiceVirtualNetworks, []string{"networks", "peerings", "subnets"}, (*unit).virtualNetworks},
	{ServiceRouteTables, []string{"route_tables"}, (*unit).routeTables},
	{ServiceSecurityGroups, []string{"firewalls"}, (*unit).securityGroups},
	{ServiceVirtualWANs, []string{"hub_attachments", "hub_route_tables", "hubs"}, (*unit).virtualWANs},
	{ServiceDNSZones, []string{"dns_records", "dns_zones"}, (*unit).dnsZones},
	{ServicePrivateDNSZones, []string{"dns_records", "dns_zones"}, (*unit).privateDNSZones},
	{ServiceApplicationGWs, []string{"load_balancers", "target_groups"}, (*unit).applicationGateways},
	{ServiceFrontDoor, []string{"load_balancers", "target_groups"}, (*unit).frontDoor},
}

// allCollections are the collections this collector fills.
func allCollections() []string {
	var out []string
	for _, s := range services {
		out = append(out, s.collections...)
	}
	return snapshot.SortedSet(out)
}

// Collector reads the Azure side of a snapshot.
type Collector struct {
	// Credential authenticates every call (DefaultAzureCredential in production, see
	// NewDefaultCredential).
	Credential azcore.TokenCredential
	// ClientOptions configure the SDK clients; nil in production, tests set the transport.
	ClientOptions *arm.ClientOptions
	// Subscriptions to read; empty means every subscription the credential can list.
	Subscriptions []string
	// Concurrency is how many units run at once; <=0 means 8.
	Concurrency int
	// MaxAttempts is how many times a throttled or transiently failing call is tried,
	// the first included; <= 0 means ClientOptions' own retries when set, else
	// DefaultMaxAttempts.
	MaxAttempts int
	// Timeout bounds one try: the connection (TLS included) and the wait for the
	// response headers; <= 0 means DefaultTimeout. It applies when ClientOptions gives
	// no transport.
	Timeout time.Duration
	// CallTimeout bounds one call (one page of a list), every try and the waits between
	// them included, the token request too; <= 0 means DefaultCallTimeout.
	CallTimeout time.Duration
	// Progress, when set, is called as units finish.
	Progress func(done, total int)
	// Logger, when set, gets a line per failed unit.
	Logger *slog.Logger
}

// NewDefaultCredential returns azidentity's DefaultAzureCredential (environment,
// workload identity, managed identity, Azure CLI, Azure Developer CLI).
func NewDefaultCredential() (azcore.TokenCredential, error) {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("azure credential: %w", err)
	}
	return cred, nil
}

// Operation is one Azure REST operation the collector may call.
type Operation struct {
	// Service is the scope service that calls it.
	Service string
	// Name is the SDK method (client and method).
	Name string
	// Method is always GET.
	Method string
	// Path is the REST path template.
	Path string
}

// Operations lists every Azure REST operation the collector can call: all are GETs.
func Operations() []Operation {
	const nw = "/subscriptions/{subscriptionId}/providers/Microsoft.Network/"
	const rgnw = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/"
	const cdn = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cdn/profiles/{profileName}/"
	return []Operation{
		{ServiceSubscriptions, "armsubscriptions.Client.NewListPager", http.MethodGet, "/subscriptions"},
		{ServiceVirtualNetworks, "armnetwork.VirtualNetworksClient.NewListAllPager", http.MethodGet, nw + "virtualNetworks"},
		{ServiceRouteTables, "armnetwork.RouteTablesClient.NewListAllPager", http.MethodGet, nw + "routeTables"},
		{ServiceSecurityGroups, "armnetwork.SecurityGroupsClient.NewListAllPager", http.MethodGet, nw + "networkSecurityGroups"},
		{ServiceVirtualWANs, "armnetwork.VirtualHubsClient.NewListPager", http.MethodGet, nw + "virtualHubs"},
		{ServiceVirtualWANs, "armnetwork.HubRouteTablesClient.NewListPager", http.MethodGet, rgnw + "virtualHubs/{virtualHubName}/hubRouteTables"},
		{ServiceVirtualWANs, "armnetwork.HubVirtualNetworkConnectionsClient.NewListPager", http.MethodGet, rgnw + "virtualHubs/{virtualHubName}/hubVirtualNetworkConnections"},
		{ServiceDNSZones, "armdns.ZonesClient.NewListPager", http.MethodGet, nw + "dnszones"},
		{ServiceDNSZones, "armdns.RecordSetsClient.NewListAllByDNSZonePager", http.MethodGet, rgnw + "dnsZones/{zoneName}/all"},
		{ServicePrivateDNSZones, "armprivatedns.PrivateZonesClient.NewListPager", http.MethodGet, nw + "privateDnsZones"},
		{ServicePrivateDNSZones, "armprivatedns.VirtualNetworkLinksClient.NewListPager", http.MethodGet, rgnw + "privateDnsZones/{privateZoneName}/virtualNetworkLinks"},
		{ServicePrivateDNSZones, "armprivatedns.RecordSetsClient.NewListPager", http.MethodGet, rgnw + "privateDnsZones/{privateZoneName}/ALL"},
		{ServiceApplicationGWs, "armnetwork.ApplicationGatewaysClient.NewListAllPager", http.MethodGet, nw + "applicationGateways"},
		{ServiceFrontDoor, "armcdn.ProfilesClient.NewListPager", http.MethodGet, "/subscriptions/{subscriptionId}/providers/Microsoft.Cdn/profiles"},
		{ServiceFrontDoor, "armcdn.AFDEndpointsClient.NewListByProfilePager", http.MethodGet, cdn + "afdEndpoints"},
		{ServiceFrontDoor, "armcdn.RoutesClient.NewListByEndpointPager", http.MethodGet, cdn + "afdEndpoints/{endpointName}/routes"},
		{ServiceFrontDoor, "armcdn.AFDOriginGroupsClient.NewListByProfilePager", http.MethodGet, cdn + "originGroups"},
		{ServiceFrontDoor, "armcdn.AFDOriginsClient.NewListByOriginGroupPager", http.MethodGet, cdn + "originGroups/{originGroupName}/origins"},
		{ServiceFrontDoor, "armcdn.SecurityPoliciesClient.NewListByProfilePager", http.MethodGet, cdn + "securityPolicies"},
	}
}

// unit is one (subscription, service) of work: it fills out and records on scope.
type unit struct {
	ctx   context.Context
	c     *Collector
	sub   string
	out   snapshot.Snapshot
	scope snapshot.Scope
	reg   *registry
	run   func(*unit) error
}

// Collect reads every subscription and never fails: what could not be read is a failed
// or partial scope. It returns the cloud entities and the scopes only (no Konnect side,
// no schema version); the caller merges, calls Snapshot.NormalizeIDs and sorts.
func (c *Collector) Collect(ctx context.Context) *snapshot.Snapshot {
	c = c.withLimits()
	out := &snapshot.Snapshot{}
	subs, subScope := c.subscriptions(ctx)
	if subScope != nil {
		out.Scopes = append(out.Scopes, *subScope)
	}

	var units []*unit
	reg := newRegistry()
	for _, sub := range subs {
		for _, svc := range services {
			units = append(units, &unit{
				ctx: ctx, c: c, sub: sub, reg: reg, run: svc.run,
				scope: snapshot.Scope{
					Provider: providerAzure, Account: sub, Region: regionGlobal, Service: svc.name,
					Status: snapshot.ScopeOK, Collections: slices.Clone(svc.collections),
				},
			})
		}
	}
	limit := c.Concurrency
	if limit <= 0 {
		limit = defaultConcurrency
	}
	var g errgroup.Group
	g.SetLimit(limit)
	var mu sync.Mutex
	done := 0
	for _, u := range units {
		g.Go(func() error {
			if err := u.run(u); err != nil {
				// A client that could not be built: the whole unit failed.
				record(&u.scope, "create client", err)
			}
			if u.scope.Incomplete() && c.Logger != nil {
				c.Logger.Warn("azure scope incomplete", "scope", u.scope.Key(), "problem", u.scope.Problem())
			}
			mu.Lock()
			done++
			if c.Progress != nil {
				c.Progress(done, len(units))
			}
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()

	for _, u := range units {
		out.Merge(&u.out)
		out.Scopes = append(out.Scopes, u.scope)
	}
	addSystemRoutes(out, units)
	reg.register(out)
	reg.unify(out)
	out.Sort()
	return out
}

// subscriptions returns the subscriptions to read and, when they were listed, the
// scope of the listing. A failed listing is a failed scope holding every collection.
func (c *Collector) subscriptions(ctx context.Context) ([]string, *snapshot.Scope) {
	if len(c.Subscriptions) > 0 {
		var subs []string
		for _, s := range c.Subscriptions {
			subs = append(subs, strings.ToLower(strings.TrimSpace(s)))
		}
		return snapshot.SortedSet(subs), nil
	}
	s := snapshot.Scope{
		Provider: providerAzure, Region: regionGlobal, Service: ServiceSubscriptions,
		Status: snapshot.ScopeOK, Collections: allCollections(),
	}
	client, err := armsubscriptions.NewClient(c.Credential, c.ClientOptions)
	if err != nil {
		record(&s, "list subscriptions", err)
		return nil, &s
	}
	var subs []string
	ok := eachItem(ctx, &s, "list subscriptions", client.NewListPager(nil),
		func(p armsubscriptions.ClientListResponse) []*armsubscriptions.Subscription { return p.Value },
		func(sub *armsubscriptions.Subscription) {
			// Disabled and deleted subscriptions answer nothing.
			if sub.SubscriptionID == nil || sub.State != nil &&
				(*sub.State == armsubscriptions.SubscriptionStateDisabled || *sub.State == armsubscriptions.SubscriptionStateDeleted) {
				return
			}
			subs = append(subs, strings.ToLower(*sub.SubscriptionID))
		})
	if !ok {
		return nil, &s
	}
	return snapshot.SortedSet(subs), &s
}

// eachItem pages through pager and calls each for every non-nil item of every page
// (items picks them out of a page). A page that fails is recorded on s under op and
// ends the listing, and eachItem reports false; what was read before it is kept, and
// the scope says the listing is incomplete.
func eachItem[P, T any](ctx context.Context, s *snapshot.Scope, op string, pager *runtime.Pager[P], items func(P) []*T, each func(*T)) bool {
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			record(s, op, err)
			return false
		}
		for _, it := range items(page) {
			if it != nil {
				each(it)
			}
		}
	}
	return true
}

// record adds err to s and fails it. A resource provider that is not registered in the
// subscription (MissingSubscriptionRegistration) holds no resources of its types: the
// scope stays ok and the error is kept as snapshot.ClassDisabled for the record.
func record(s *snapshot.Scope, operation string, err error) {
	class := classify(err)
	if class == snapshot.ClassDisabled {
		s.Errors = append(s.Errors, snapshot.ScopeError{Class: class, Operation: operation, Message: message(class, operation, err)})
		return
	}
	s.Fail(class, operation, message(class, operation, err))
}

// classify maps an error to a snapshot.ScopeError class.
func classify(err error) string {
	var respErr *azcore.ResponseError
	var netErr net.Error
	switch {
	case errors.As(err, new(*TimeoutError)):
		return snapshot.ClassTimeout
	case errors.As(err, &respErr):
		switch {
		case respErr.ErrorCode == "MissingSubscriptionRegistration":
			return snapshot.ClassDisabled
		case respErr.StatusCode == http.StatusUnauthorized, respErr.StatusCode == http.StatusForbidden,
			respErr.ErrorCode == "AuthorizationFailed", respErr.ErrorCode == "LinkedAuthorizationFailed":
			return snapshot.ClassDenied
		case respErr.StatusCode == http.StatusTooManyRequests:
			return snapshot.ClassThrottled
		case respErr.StatusCode == http.StatusNotFound, respErr.ErrorCode == "SubscriptionNotFound":
			return snapshot.ClassNotFound
		case respErr.StatusCode == http.StatusRequestTimeout, respErr.StatusCode == http.StatusGatewayTimeout:
			return snapshot.ClassTimeout
		}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return snapshot.ClassTimeout
	}
	return snapshot.ClassOther
}

// message is a scope error's text: the status and ARM error code, not the whole
// response dump the SDK's error prints (request headers, body).
func message(class, operation string, err error) string {
	var respErr *azcore.ResponseError
	var timeout *TimeoutError
	msg := err.Error()
	if errors.As(err, &timeout) {
		msg = timeout.Error()
	} else if errors.As(err, &respErr) {
		msg = fmt.Sprintf("%d %s", respErr.StatusCode, cmp.Or(respErr.ErrorCode, http.StatusText(respErr.StatusCode)))
		if respErr.RawResponse != nil && respErr.RawResponse.Request != nil {
			msg += " (GET " + respErr.RawResponse.Request.URL.Path + ")"
		}
	}
	switch class {
	case snapshot.ClassDenied:
		return "the credential needs the Reader role (or Network Reader) on the subscription to " + operation + ": " + msg
	case snapshot.ClassDisabled:
		return "the resource provider is not registered in the subscription, so it holds none of these resources: " + msg
	}
	return msg
}

// entity builds the common fields of a resource from its own id, name, location and tags.
func (u *unit) entity(id, name, location *string, tags map[string]*string) snapshot.Entity {
	e := snapshot.Entity{
		ID: snapshot.CanonicalAzureID(deref(id)), Provider: providerAzure, Account: u.sub,
		Region: strings.ToLower(deref(location)), Name: deref(name),
	}
	if len(tags) > 0 {
		e.Tags = map[string]string{}
		for k, v := range tags {
			e.Tags[k] = deref(v)
		}
	}
	return e
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func derefs(ps []*string) []string {
	var out []string
	for _, p := range ps {
		if p != nil && strings.TrimSpace(*p) != "" {
			out = append(out, strings.TrimSpace(*p))
		}
	}
	return out
}
