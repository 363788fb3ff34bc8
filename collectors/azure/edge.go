package azure

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/cdn/armcdn"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// applicationGateways lists the Application Gateways: one load balancer each (listeners
// with their protocol, port, TLS policy and default action; the WAF) and one target group
// per backend pool (its addresses, with the protocol and port of the backend HTTP settings
// its routing rules use).
func (u *unit) applicationGateways() error {
	const op = "list application gateways"
	client, err := armnetwork.NewApplicationGatewaysClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	eachItem(u.ctx, &u.scope, op, client.NewListAllPager(nil),
		func(p armnetwork.ApplicationGatewaysClientListAllResponse) []*armnetwork.ApplicationGateway {
			return p.Value
		},
		func(g *armnetwork.ApplicationGateway) {
			if g.ID == nil {
				return
			}
			u.applicationGateway(g)
		})
	return nil
}

func (u *unit) applicationGateway(g *armnetwork.ApplicationGateway) {
	lb := snapshot.LoadBalancer{Entity: u.entity(g.ID, g.Name, g.Location, g.Tags), Kind: "azure-application-gateway", Scheme: "internal"}
	p := g.Properties
	if p == nil {
		u.out.LoadBalancers = append(u.out.LoadBalancers, lb)
		return
	}
	for _, c := range p.GatewayIPConfigurations {
		if c != nil && c.Properties != nil && c.Properties.Subnet != nil && c.Properties.Subnet.ID != nil {
			lb.NetworkID = parentID(snapshot.CanonicalAzureID(*c.Properties.Subnet.ID))
			break
		}
	}
	for _, f := range p.FrontendIPConfigurations {
		if f != nil && f.Properties != nil && f.Properties.PublicIPAddress != nil {
			lb.Scheme = "internet-facing"
		}
	}
	// WAF: a firewall policy on the gateway, or the legacy WAF configuration.
	switch {
	case p.FirewallPolicy != nil && deref(p.FirewallPolicy.ID) != "":
		lb.WAFID = snapshot.CanonicalAzureID(*p.FirewallPolicy.ID)
	case p.WebApplicationFirewallConfiguration != nil && deref(p.WebApplicationFirewallConfiguration.Enabled):
		lb.WAFID = lb.ID + "/webApplicationFirewallConfiguration"
	}

	key := func(id *string) string { return strings.ToLower(deref(id)) }
	ports := map[string]int{}
	for _, fp := range p.FrontendPorts {
		if fp != nil && fp.Properties != nil {
			ports[key(fp.ID)] = int(deref(fp.Properties.Port))
		}
	}
	settings := map[string]*armnetwork.ApplicationGatewayBackendHTTPSettingsPropertiesFormat{}
	for _, s := range p.BackendHTTPSettingsCollection {
		if s != nil && s.Properties != nil {
			settings[key(s.ID)] = s.Properties
		}
	}
	sslProfiles := map[string]string{}
	for _, sp := range p.SSLProfiles {
		if sp != nil && sp.Properties != nil && sp.Properties.SSLPolicy != nil {
			sslProfiles[key(sp.ID)] = sslPolicyName(sp.Properties.SSLPolicy)
		}
	}
	gatewayPolicy := ""
	if p.SSLPolicy != nil {
		gatewayPolicy = sslPolicyName(p.SSLPolicy)
	}
	if gatewayPolicy == "" && p.DefaultPredefinedSSLPolicy != nil {
		gatewayPolicy = string(*p.DefaultPredefinedSSLPolicy)
	}
	redirects := map[string]*armnetwork.ApplicationGatewayRedirectConfigurationPropertiesFormat{}
	for _, r := range p.RedirectConfigurations {
		if r != nil && r.Properties != nil {
			redirects[key(r.ID)] = r.Properties
		}
	}
	listenerProto := map[string]string{}
	for _, l := range p.HTTPListeners {
		if l != nil && l.Properties != nil {
			listenerProto[key(l.ID)] = strings.ToUpper(string(deref(l.Properties.Protocol)))
		}
	}
	// Routing rules: the default action of each listener, and the settings of each pool.
	actions := map[string]snapshot.ListenerAction{}
	poolSettings := map[string][]*armnetwork.ApplicationGatewayBackendHTTPSettingsPropertiesFormat{}
	for _, r := range p.RequestRoutingRules {
		if r == nil || r.Properties == nil || r.Properties.HTTPListener == nil {
			continue
		}
		rp := r.Properties
		lk := key(rp.HTTPListener.ID)
		switch {
		case rp.BackendAddressPool != nil:
			pool := snapshot.CanonicalAzureID(deref(rp.BackendAddressPool.ID))
			actions[lk] = snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{pool}}
			if rp.BackendHTTPSettings != nil {
				if s := settings[key(rp.BackendHTTPSettings.ID)]; s != nil {
					poolSettings[strings.ToLower(pool)] = append(poolSettings[strings.ToLower(pool)], s)
				}
			}
		case rp.RedirectConfiguration != nil:
			a := snapshot.ListenerAction{Kind: "redirect"}
			if rc := redirects[key(rp.RedirectConfiguration.ID)]; rc != nil {
				switch {
				case rc.TargetListener != nil:
					a.RedirectProtocol = listenerProto[key(rc.TargetListener.ID)]
				case strings.HasPrefix(strings.ToLower(deref(rc.TargetURL)), "https://"):
					a.RedirectProtocol = "HTTPS"
				case strings.HasPrefix(strings.ToLower(deref(rc.TargetURL)), "http://"):
					a.RedirectProtocol = "HTTP"
				}
			}
			actions[lk] = a
		case rp.URLPathMap != nil:
			actions[lk] = snapshot.ListenerAction{Kind: "forward"}
		}
	}
	for _, l := range p.HTTPListeners {
		if l == nil || l.Properties == nil {
			continue
		}
		lp := l.Properties
		ln := snapshot.Listener{ID: snapshot.CanonicalAzureID(deref(l.ID)), Protocol: strings.ToUpper(string(deref(lp.Protocol))), DefaultAction: actions[key(l.ID)]}
		if lp.FrontendPort != nil {
			ln.Port = ports[key(lp.FrontendPort.ID)]
		}
		if ln.Protocol == "HTTPS" {
			ln.TLSPolicy = gatewayPolicy
			if lp.SSLProfile != nil {
				ln.TLSPolicy = cmp.Or(sslProfiles[key(lp.SSLProfile.ID)], gatewayPolicy)
			}
		}
		// A listener's own WAF policy counts when the gateway has none.
		if lb.WAFID == "" && lp.FirewallPolicy != nil && deref(lp.FirewallPolicy.ID) != "" {
			lb.WAFID = snapshot.CanonicalAzureID(*lp.FirewallPolicy.ID)
		}
		lb.Listeners = append(lb.Listeners, ln)
	}

	for _, pool := range p.BackendAddressPools {
		if pool == nil || pool.ID == nil {
			continue
		}
		tg := snapshot.TargetGroup{Entity: u.entity(pool.ID, pool.Name, g.Location, nil), NetworkID: lb.NetworkID, LoadBalancerIDs: []string{lb.ID}}
		// The weakest protocol among the settings the pool is used with (plain HTTP
		// anywhere means plain HTTP to the backend).
		for _, s := range poolSettings[strings.ToLower(tg.ID)] {
			proto := strings.ToUpper(string(deref(s.Protocol)))
			if tg.Protocol == "" || proto == "HTTP" {
				tg.Protocol, tg.Port = proto, int(deref(s.Port))
			}
		}
		if pp := pool.Properties; pp != nil {
			for _, a := range pp.BackendAddresses {
				if a == nil {
					continue
				}
				if ip := deref(a.IPAddress); ip != "" {
					tg.Targets = append(tg.Targets, snapshot.Target{ID: ip, Port: tg.Port})
					tg.TargetType = cmp.Or(tg.TargetType, "ip")
				} else if fqdn := normName(deref(a.Fqdn)); fqdn != "" {
					tg.Targets = append(tg.Targets, snapshot.Target{ID: fqdn, Port: tg.Port})
					tg.TargetType = cmp.Or(tg.TargetType, "fqdn")
				}
			}
			for _, c := range pp.BackendIPConfigurations {
				if c != nil && c.ID != nil {
					tg.Targets = append(tg.Targets, snapshot.Target{ID: snapshot.CanonicalAzureID(*c.ID), Port: tg.Port})
					tg.TargetType = cmp.Or(tg.TargetType, "interface")
				}
			}
		}
		lb.TargetGroupIDs = append(lb.TargetGroupIDs, tg.ID)
		u.out.TargetGroups = append(u.out.TargetGroups, tg)
	}
	lb.TargetGroupIDs = snapshot.SortedSet(lb.TargetGroupIDs)
	u.out.LoadBalancers = append(u.out.LoadBalancers, lb)
}

// sslPolicyName names an SSL policy: its predefined name, else its type and minimum
// protocol version ("CustomV2 TLSv1_2").
func sslPolicyName(p *armnetwork.ApplicationGatewaySSLPolicy) string {
	if p.PolicyName != nil && *p.PolicyName != "" {
		return string(*p.PolicyName)
	}
	parts := []string{string(deref(p.PolicyType)), string(deref(p.MinProtocolVersion))}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// frontDoor lists the Front Door Standard/Premium profiles (classic CDN profiles are
// skipped): one load balancer per endpoint (kind azure-front-door, internet-facing,
// its routes as listeners, the WAF of the security policy that covers it) and one
// target group per origin group (its origins, with the forwarding protocol of the
// routes that use it).
func (u *unit) frontDoor() error {
	profiles, err := armcdn.NewProfilesClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	endpoints, err := armcdn.NewAFDEndpointsClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	routes, err := armcdn.NewRoutesClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	groups, err := armcdn.NewAFDOriginGroupsClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	origins, err := armcdn.NewAFDOriginsClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	policies, err := armcdn.NewSecurityPoliciesClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	fd := frontDoorClients{endpoints, routes, groups, origins, policies}
	eachItem(u.ctx, &u.scope, "list CDN profiles", profiles.NewListPager(nil),
		func(p armcdn.ProfilesClientListResponse) []*armcdn.Profile { return p.Value },
		func(pr *armcdn.Profile) {
			if pr.ID == nil || pr.SKU == nil {
				return
			}
			if sku := deref(pr.SKU.Name); sku != armcdn.SKUNameStandardAzureFrontDoor && sku != armcdn.SKUNamePremiumAzureFrontDoor {
				return
			}
			u.frontDoorProfile(fd, pr)
		})
	return nil
}

type frontDoorClients struct {
	endpoints *armcdn.AFDEndpointsClient
	routes    *armcdn.RoutesClient
	groups    *armcdn.AFDOriginGroupsClient
	origins   *armcdn.AFDOriginsClient
	policies  *armcdn.SecurityPoliciesClient
}

func (u *unit) frontDoorProfile(fd frontDoorClients, pr *armcdn.Profile) {
	profileID := snapshot.CanonicalAzureID(*pr.ID)
	rg, name := resourceGroupOf(profileID), deref(pr.Name)
	where := "Front Door profile " + name

	// WAF policies by the endpoint or custom domain ids their associations cover.
	waf := map[string]string{}
	eachItem(u.ctx, &u.scope, "list security policies of "+where, fd.policies.NewListByProfilePager(rg, name, nil),
		func(p armcdn.SecurityPoliciesClientListByProfileResponse) []*armcdn.SecurityPolicy { return p.Value },
		func(pol *armcdn.SecurityPolicy) {
			if pol.Properties == nil {
				return
			}
			params, ok := pol.Properties.Parameters.(*armcdn.SecurityPolicyWebApplicationFirewallParameters)
			if !ok || params.WafPolicy == nil || params.WafPolicy.ID == nil {
				return
			}
			for _, a := range params.Associations {
				if a == nil {
					continue
				}
				for _, d := range a.Domains {
					if d != nil && d.ID != nil {
						waf[strings.ToLower(snapshot.CanonicalAzureID(*d.ID))] = snapshot.CanonicalAzureID(*params.WafPolicy.ID)
					}
				}
			}
		})

	// Origin groups and their origins.
	tgs := map[string]*snapshot.TargetGroup{}
	var order []string
	eachItem(u.ctx, &u.scope, "list origin groups of "+where, fd.groups.NewListByProfilePager(rg, name, nil),
		func(p armcdn.AFDOriginGroupsClientListByProfileResponse) []*armcdn.AFDOriginGroup { return p.Value },
		func(g *armcdn.AFDOriginGroup) {
			if g.ID == nil {
				return
			}
			tg := snapshot.TargetGroup{Entity: u.entity(g.ID, g.Name, nil, nil)}
			tgs[strings.ToLower(tg.ID)] = &tg
			order = append(order, strings.ToLower(tg.ID))
		})
	for _, k := range order {
		tg := tgs[k]
		op := "list origins of " + where + " origin group " + tg.Name
		eachItem(u.ctx, &u.scope, op, fd.origins.NewListByOriginGroupPager(rg, name, tg.Name, nil),
			func(p armcdn.AFDOriginsClientListByOriginGroupResponse) []*armcdn.AFDOrigin { return p.Value },
			func(o *armcdn.AFDOrigin) {
				if o.Properties == nil || deref(o.Properties.HostName) == "" {
					return
				}
				if deref(o.Properties.EnabledState) == armcdn.EnabledStateDisabled {
					return
				}
				host := normName(*o.Properties.HostName)
				tg.Targets = append(tg.Targets, snapshot.Target{ID: host, Port: int(deref(o.Properties.HTTPSPort))})
			})
	}

	eachItem(u.ctx, &u.scope, "list endpoints of "+where, fd.endpoints.NewListByProfilePager(rg, name, nil),
		func(p armcdn.AFDEndpointsClientListByProfileResponse) []*armcdn.AFDEndpoint { return p.Value },
		func(e *armcdn.AFDEndpoint) {
			if e.ID == nil {
				return
			}
			lb := snapshot.LoadBalancer{Entity: u.entity(e.ID, e.Name, e.Location, e.Tags), Kind: "azure-front-door", Scheme: "internet-facing"}
			if e.Properties != nil {
				lb.DNSName = normName(deref(e.Properties.HostName))
			}
			lb.WAFID = waf[strings.ToLower(lb.ID)]
			u.frontDoorRoutes(fd, rg, name, deref(e.Name), &lb, tgs, waf)
			u.out.LoadBalancers = append(u.out.LoadBalancers, lb)
		})
	for _, k := range order {
		tg := tgs[k]
		tg.LoadBalancerIDs = snapshot.SortedSet(tg.LoadBalancerIDs)
		u.out.TargetGroups = append(u.out.TargetGroups, *tg)
	}
}

// frontDoorRoutes maps the routes of an endpoint to listeners (one per supported
// protocol: HTTP on 80, HTTPS on 443) and gives their origin groups the forwarding
// protocol (HttpOnly: HTTP, HttpsOnly: HTTPS, MatchRequest: HTTP when the route serves
// plain HTTP without redirecting it, else HTTPS).
func (u *unit) frontDoorRoutes(fd frontDoorClients, rg, profile, endpoint string, lb *snapshot.LoadBalancer, tgs map[string]*snapshot.TargetGroup, waf map[string]string) {
	op := fmt.Sprintf("list routes of Front Door endpoint %s", endpoint)
	eachItem(u.ctx, &u.scope, op, fd.routes.NewListByEndpointPager(rg, profile, endpoint, nil),
		func(p armcdn.RoutesClientListByEndpointResponse) []*armcdn.Route { return p.Value },
		func(r *armcdn.Route) {
			if r.Properties == nil || deref(r.Properties.EnabledState) == armcdn.EnabledStateDisabled {
				return
			}
			p := r.Properties
			var group string
			if p.OriginGroup != nil && p.OriginGroup.ID != nil {
				group = snapshot.CanonicalAzureID(*p.OriginGroup.ID)
			}
			redirect := deref(p.HTTPSRedirect) == armcdn.HTTPSRedirectEnabled
			servesHTTP := false
			for _, proto := range p.SupportedProtocols {
				if proto == nil {
					continue
				}
				ln := snapshot.Listener{ID: snapshot.CanonicalAzureID(deref(r.ID)), Protocol: strings.ToUpper(string(*proto))}
				switch ln.Protocol {
				case "HTTP":
					ln.Port = 80
				case "HTTPS":
					ln.Port = 443
				}
				if ln.Protocol == "HTTP" && redirect {
					ln.DefaultAction = snapshot.ListenerAction{Kind: "redirect", RedirectProtocol: "HTTPS"}
				} else {
					servesHTTP = servesHTTP || ln.Protocol == "HTTP"
					if group != "" {
						ln.DefaultAction = snapshot.ListenerAction{Kind: "forward", TargetGroupIDs: []string{group}}
					}
				}
				lb.Listeners = append(lb.Listeners, ln)
			}
			if lb.WAFID == "" {
				for _, d := range p.CustomDomains {
					if d != nil && d.ID != nil && waf[strings.ToLower(snapshot.CanonicalAzureID(*d.ID))] != "" {
						lb.WAFID = waf[strings.ToLower(snapshot.CanonicalAzureID(*d.ID))]
					}
				}
			}
			tg := tgs[strings.ToLower(group)]
			if tg == nil {
				return
			}
			lb.TargetGroupIDs = snapshot.SortedSet(append(lb.TargetGroupIDs, tg.ID))
			tg.LoadBalancerIDs = append(tg.LoadBalancerIDs, lb.ID)
			proto := "HTTPS"
			switch deref(p.ForwardingProtocol) {
			case armcdn.ForwardingProtocolHTTPOnly:
				proto = "HTTP"
			case armcdn.ForwardingProtocolMatchRequest:
				if servesHTTP {
					proto = "HTTP"
				}
			}
			if tg.Protocol == "" || proto == "HTTP" {
				tg.Protocol = proto
				tg.Port = 443
				if proto == "HTTP" {
					tg.Port = 80
				}
			}
		})
}
