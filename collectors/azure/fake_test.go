package azure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/dns/armdns"
	dnsfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/dns/armdns/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
	netfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/privatedns/armprivatedns"
	pdnsfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/privatedns/armprivatedns/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"
	subfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions/fake"
)

// estate is what one subscription holds, in the SDK's own model types; the modules'
// fake servers turn it into wire-format responses (armcdn has no fake package: its
// responses are JSON bodies by path).
type estate struct {
	vnets       []*armnetwork.VirtualNetwork
	routeTables []*armnetwork.RouteTable
	nsgs        []*armnetwork.SecurityGroup
	hubs        []*armnetwork.VirtualHub
	hubTables   map[string][]*armnetwork.HubRouteTable // by hub name
	hubConns    map[string][]*armnetwork.HubVirtualNetworkConnection
	appGWs      []*armnetwork.ApplicationGateway
	zones       []*armdns.Zone
	records     map[string][]*armdns.RecordSet // by zone name
	pzones      []*armprivatedns.PrivateZone
	links       map[string][]*armprivatedns.VirtualNetworkLink
	precords    map[string][]*armprivatedns.RecordSet
	// cdn maps a lower-case URL path to the JSON array of its "value".
	cdn map[string]string
}

// pageSize splits every listing into pages of this many items (several pages each).
const pageSize = 2

// pages returns a pager responder with items split into pages of pageSize.
func pages[R, T any](items []T, wrap func([]T) R) azfake.PagerResponder[R] {
	var resp azfake.PagerResponder[R]
	if len(items) == 0 {
		resp.AddPage(http.StatusOK, wrap(nil), nil)
		return resp
	}
	for i := 0; i < len(items); i += pageSize {
		resp.AddPage(http.StatusOK, wrap(items[i:min(i+pageSize, len(items))]), nil)
	}
	return resp
}

func (e *estate) networkServer() *netfake.ServerFactory {
	return &netfake.ServerFactory{
		VirtualNetworksServer: netfake.VirtualNetworksServer{
			NewListAllPager: func(*armnetwork.VirtualNetworksClientListAllOptions) azfake.PagerResponder[armnetwork.VirtualNetworksClientListAllResponse] {
				return pages(e.vnets, func(v []*armnetwork.VirtualNetwork) armnetwork.VirtualNetworksClientListAllResponse {
					return armnetwork.VirtualNetworksClientListAllResponse{VirtualNetworkListResult: armnetwork.VirtualNetworkListResult{Value: v}}
				})
			},
		},
		RouteTablesServer: netfake.RouteTablesServer{
			NewListAllPager: func(*armnetwork.RouteTablesClientListAllOptions) azfake.PagerResponder[armnetwork.RouteTablesClientListAllResponse] {
				return pages(e.routeTables, func(v []*armnetwork.RouteTable) armnetwork.RouteTablesClientListAllResponse {
					return armnetwork.RouteTablesClientListAllResponse{RouteTableListResult: armnetwork.RouteTableListResult{Value: v}}
				})
			},
		},
		SecurityGroupsServer: netfake.SecurityGroupsServer{
			NewListAllPager: func(*armnetwork.SecurityGroupsClientListAllOptions) azfake.PagerResponder[armnetwork.SecurityGroupsClientListAllResponse] {
				return pages(e.nsgs, func(v []*armnetwork.SecurityGroup) armnetwork.SecurityGroupsClientListAllResponse {
					return armnetwork.SecurityGroupsClientListAllResponse{SecurityGroupListResult: armnetwork.SecurityGroupListResult{Value: v}}
				})
			},
		},
		VirtualHubsServer: netfake.VirtualHubsServer{
			NewListPager: func(*armnetwork.VirtualHubsClientListOptions) azfake.PagerResponder[armnetwork.VirtualHubsClientListResponse] {
				return pages(e.hubs, func(v []*armnetwork.VirtualHub) armnetwork.VirtualHubsClientListResponse {
					return armnetwork.VirtualHubsClientListResponse{ListVirtualHubsResult: armnetwork.ListVirtualHubsResult{Value: v}}
				})
			},
		},
		HubRouteTablesServer: netfake.HubRouteTablesServer{
			NewListPager: func(_, hub string, _ *armnetwork.HubRouteTablesClientListOptions) azfake.PagerResponder[armnetwork.HubRouteTablesClientListResponse] {
				return pages(e.hubTables[hub], func(v []*armnetwork.HubRouteTable) armnetwork.HubRouteTablesClientListResponse {
					return armnetwork.HubRouteTablesClientListResponse{ListHubRouteTablesResult: armnetwork.ListHubRouteTablesResult{Value: v}}
				})
			},
		},
		HubVirtualNetworkConnectionsServer: netfake.HubVirtualNetworkConnectionsServer{
			NewListPager: func(_, hub string, _ *armnetwork.HubVirtualNetworkConnectionsClientListOptions) azfake.PagerResponder[armnetwork.HubVirtualNetworkConnectionsClientListResponse] {
				return pages(e.hubConns[hub], func(v []*armnetwork.HubVirtualNetworkConnection) armnetwork.HubVirtualNetworkConnectionsClientListResponse {
					return armnetwork.HubVirtualNetworkConnectionsClientListResponse{ListHubVirtualNetworkConnectionsResult: armnetwork.ListHubVirtualNetworkConnectionsResult{Value: v}}
				})
			},
		},
		ApplicationGatewaysServer: netfake.ApplicationGatewaysServer{
			NewListAllPager: func(*armnetwork.ApplicationGatewaysClientListAllOptions) azfake.PagerResponder[armnetwork.ApplicationGatewaysClientListAllResponse] {
				return pages(e.appGWs, func(v []*armnetwork.ApplicationGateway) armnetwork.ApplicationGatewaysClientListAllResponse {
					return armnetwork.ApplicationGatewaysClientListAllResponse{ApplicationGatewayListResult: armnetwork.ApplicationGatewayListResult{Value: v}}
				})
			},
		},
	}
}

func (e *estate) dnsServer() *dnsfake.ServerFactory {
	return &dnsfake.ServerFactory{
		ZonesServer: dnsfake.ZonesServer{
			NewListPager: func(*armdns.ZonesClientListOptions) azfake.PagerResponder[armdns.ZonesClientListResponse] {
				return pages(e.zones, func(v []*armdns.Zone) armdns.ZonesClientListResponse {
					return armdns.ZonesClientListResponse{ZoneListResult: armdns.ZoneListResult{Value: v}}
				})
			},
		},
		RecordSetsServer: dnsfake.RecordSetsServer{
			NewListAllByDNSZonePager: func(_, zone string, _ *armdns.RecordSetsClientListAllByDNSZoneOptions) azfake.PagerResponder[armdns.RecordSetsClientListAllByDNSZoneResponse] {
				return pages(e.records[zone], func(v []*armdns.RecordSet) armdns.RecordSetsClientListAllByDNSZoneResponse {
					return armdns.RecordSetsClientListAllByDNSZoneResponse{RecordSetListResult: armdns.RecordSetListResult{Value: v}}
				})
			},
		},
	}
}

func (e *estate) privateDNSServer() *pdnsfake.ServerFactory {
	return &pdnsfake.ServerFactory{
		PrivateZonesServer: pdnsfake.PrivateZonesServer{
			NewListPager: func(*armprivatedns.PrivateZonesClientListOptions) azfake.PagerResponder[armprivatedns.PrivateZonesClientListResponse] {
				return pages(e.pzones, func(v []*armprivatedns.PrivateZone) armprivatedns.PrivateZonesClientListResponse {
					return armprivatedns.PrivateZonesClientListResponse{PrivateZoneListResult: armprivatedns.PrivateZoneListResult{Value: v}}
				})
			},
		},
		VirtualNetworkLinksServer: pdnsfake.VirtualNetworkLinksServer{
			NewListPager: func(_, zone string, _ *armprivatedns.VirtualNetworkLinksClientListOptions) azfake.PagerResponder[armprivatedns.VirtualNetworkLinksClientListResponse] {
				return pages(e.links[zone], func(v []*armprivatedns.VirtualNetworkLink) armprivatedns.VirtualNetworkLinksClientListResponse {
					return armprivatedns.VirtualNetworkLinksClientListResponse{VirtualNetworkLinkListResult: armprivatedns.VirtualNetworkLinkListResult{Value: v}}
				})
			},
		},
		RecordSetsServer: pdnsfake.RecordSetsServer{
			NewListPager: func(_, zone string, _ *armprivatedns.RecordSetsClientListOptions) azfake.PagerResponder[armprivatedns.RecordSetsClientListResponse] {
				return pages(e.precords[zone], func(v []*armprivatedns.RecordSet) armprivatedns.RecordSetsClientListResponse {
					return armprivatedns.RecordSetsClientListResponse{RecordSetListResult: armprivatedns.RecordSetListResult{Value: v}}
				})
			},
		},
	}
}

// estateTransports are one subscription's fake servers.
type estateTransports struct {
	network, dns, pdns policy.Transporter
	cdn                map[string]string
}

// fakeAzure is the transport under every client in the tests: it records each request
// (method and path), answers from the subscription's estate, and can deny a
// subscription (403 AuthorizationFailed) or throttle a path (429) a few times.
type fakeAzure struct {
	t         *testing.T
	subs      []*armsubscriptions.Subscription
	subsError int // status of the subscription listing when not 0
	estates   map[string]*estate
	denied    map[string]bool
	throttle  map[string]int // lower-case path suffix -> 429s left

	mu         sync.Mutex
	requests   []string
	transports map[string]*estateTransports
	subsTr     policy.Transporter
}

func (f *fakeAzure) Do(req *http.Request) (*http.Response, error) {
	path := req.URL.Path
	f.mu.Lock()
	f.requests = append(f.requests, req.Method+" "+path)
	f.mu.Unlock()
	if req.Method != http.MethodGet {
		return nil, fmt.Errorf("fake Azure: %s %s is not a read", req.Method, path)
	}
	if auth := req.Header.Get("Authorization"); auth == "" {
		return nil, fmt.Errorf("fake Azure: %s without a token", path)
	}
	// Next pages are the listing's path + "/fake_page_N" (the fakes' own next links).
	lower := strings.ToLower(fakePage.ReplaceAllString(path, ""))
	if lower == "/subscriptions" {
		if f.subsError != 0 {
			return errorResponse(req, f.subsError, "AuthorizationFailed"), nil
		}
		f.mu.Lock()
		if f.subsTr == nil {
			f.subsTr = subfake.NewServerFactoryTransport(&subfake.ServerFactory{Server: subfake.Server{
				NewListPager: func(*armsubscriptions.ClientListOptions) azfake.PagerResponder[armsubscriptions.ClientListResponse] {
					return pages(f.subs, func(v []*armsubscriptions.Subscription) armsubscriptions.ClientListResponse {
						return armsubscriptions.ClientListResponse{SubscriptionListResult: armsubscriptions.SubscriptionListResult{Value: v}}
					})
				},
			}})
		}
		tr := f.subsTr
		f.mu.Unlock()
		return tr.Do(req)
	}
	sub := subscriptionOf(path)
	if f.denied[sub] {
		return errorResponse(req, http.StatusForbidden, "AuthorizationFailed"), nil
	}
	f.mu.Lock()
	for suffix, n := range f.throttle {
		if n > 0 && strings.HasSuffix(lower, suffix) {
			f.throttle[suffix] = n - 1
			f.mu.Unlock()
			return errorResponse(req, http.StatusTooManyRequests, "TooManyRequests"), nil
		}
	}
	if f.transports == nil {
		f.transports = map[string]*estateTransports{}
	}
	tr := f.transports[sub]
	if tr == nil {
		e := f.estates[sub]
		if e == nil {
			e = &estate{}
		}
		tr = &estateTransports{
			network: netfake.NewServerFactoryTransport(e.networkServer()),
			dns:     dnsfake.NewServerFactoryTransport(e.dnsServer()),
			pdns:    pdnsfake.NewServerFactoryTransport(e.privateDNSServer()),
			cdn:     e.cdn,
		}
		f.transports[sub] = tr
	}
	f.mu.Unlock()
	switch {
	case strings.Contains(lower, "/providers/microsoft.cdn/"):
		return cdnResponse(req, tr.cdn[lower]), nil
	case strings.Contains(lower, "/providers/microsoft.network/privatednszones"):
		return tr.pdns.Do(req)
	case strings.Contains(lower, "/providers/microsoft.network/dnszones"):
		return tr.dns.Do(req)
	}
	return tr.network.Do(req)
}

var fakePage = regexp.MustCompile(`/fake_page_[0-9]+$`)

func (f *fakeAzure) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

func errorResponse(req *http.Request, status int, code string) *http.Response {
	body := fmt.Sprintf(`{"error":{"code":%q,"message":"fake %s for %s"}}`, code, code, req.URL.Path)
	return &http.Response{
		StatusCode: status, Status: http.StatusText(status), Request: req,
		Header: http.Header{"Content-Type": {"application/json"}, "X-Ms-Error-Code": {code}},
		Body:   io.NopCloser(strings.NewReader(body)),
	}
}

// cdnResponse answers an armcdn list with {"value": items}.
func cdnResponse(req *http.Request, items string) *http.Response {
	if items == "" {
		items = "[]"
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `{"value":%s}`, items)
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Request: req,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(&buf),
	}
}

// collector returns a Collector whose clients all go through f, with tiny retry delays.
func (f *fakeAzure) collector() *Collector {
	return &Collector{
		Credential: &azfake.TokenCredential{},
		ClientOptions: &arm.ClientOptions{ClientOptions: azcore.ClientOptions{
			Transport: f,
			Retry:     policy.RetryOptions{MaxRetries: 3, RetryDelay: time.Millisecond, MaxRetryDelay: 2 * time.Millisecond},
		}},
		Concurrency: 4,
	}
}

// mustJSON marshals v for the armcdn bodies.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
