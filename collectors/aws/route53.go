package aws

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// route53Service reads the hosted zones and their record sets, once per account.
var route53Service = service{
	name:        "route53",
	global:      true,
	collections: []string{"dns_records", "dns_zones"},
	actions: []string{
		"route53:GetHostedZone",
		"route53:ListHostedZones",
		"route53:ListResourceRecordSets",
	},
	run: func(ctx context.Context, u *unit) { collectRoute53(ctx, u, route53.NewFromConfig(u.cfg)) },
}

// route53API is what the collector calls on Route 53 (the SDK client satisfies it).
type route53API interface {
	route53.ListHostedZonesAPIClient
	GetHostedZone(ctx context.Context, in *route53.GetHostedZoneInput, optFns ...func(*route53.Options)) (*route53.GetHostedZoneOutput, error)
	ListResourceRecordSets(ctx context.Context, in *route53.ListResourceRecordSetsInput, optFns ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error)
}

// collectRoute53 lists the hosted zones, then per zone (in parallel) its record sets
// and, for a private zone, its VPC associations: ListHostedZones does not give them and
// no list call does for every zone at once, so GetHostedZone is called per private zone.
// Associations made through Route 53 Profiles are not in GetHostedZone's answer.
func collectRoute53(ctx context.Context, u *unit, c route53API) {
	var hzs []r53types.HostedZone
	p := route53.NewListHostedZonesPaginator(c, &route53.ListHostedZonesInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		ctx = after(ctx)
		if err != nil {
			u.fail("ListHostedZones", err)
			return
		}
		hzs = append(hzs, out.HostedZones...)
	}

	zones := make([]snapshot.DNSZone, len(hzs))
	var tasks []func(ctx context.Context)
	for i, hz := range hzs {
		id := hostedZoneID(str(hz.Id))
		name := normHost(str(hz.Name))
		zones[i] = snapshot.DNSZone{
			Entity:  snapshot.Entity{ID: id, Provider: "aws", Account: u.account, Region: "global", Name: name},
			DNSName: name,
			Private: hz.Config != nil && hz.Config.PrivateZone,
		}
		if zones[i].Private {
			tasks = append(tasks, func(ctx context.Context) { zoneVPCs(ctx, u, c, hz.Id, &zones[i]) })
		}
		tasks = append(tasks, func(ctx context.Context) { recordSets(ctx, u, c, id) })
	}
	u.forEach(ctx, len(tasks), func(ctx context.Context, i int) { tasks[i](ctx) })
	u.out.DNSZones = append(u.out.DNSZones, zones...)
}

// zoneVPCs fills a private zone's associated VPCs from GetHostedZone.
func zoneVPCs(ctx context.Context, u *unit, c route53API, id *string, zone *snapshot.DNSZone) {
	out, err := c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: id})
	if err != nil {
		u.fail("GetHostedZone", err)
		return
	}
	for _, v := range out.VPCs {
		if vpc := str(v.VPCId); vpc != "" {
			zone.NetworkIDs = append(zone.NetworkIDs, vpc)
		}
	}
}

// recordSets reads every record set of a zone. ListResourceRecordSets pages on the
// (name, type, set identifier) of the next record; the SDK's hand-written paginator
// would restart from the top on a truncated answer without a next name, so this loop
// stops there, and on a cursor that does not move, with the zone recorded as truncated.
// A zone whose listing failed contributes no records (the scope is failed).
func recordSets(ctx context.Context, u *unit, c route53API, zoneID string) {
	in := &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID)}
	var recs []snapshot.DNSRecord
	for {
		out, err := c.ListResourceRecordSets(ctx, in)
		ctx = after(ctx)
		if err != nil {
			u.fail("ListResourceRecordSets", err)
			return
		}
		for _, rr := range out.ResourceRecordSets {
			if r, ok := dnsRecord(u.account, zoneID, rr); ok {
				recs = append(recs, r)
			}
		}
		if !out.IsTruncated {
			break
		}
		next := &route53.ListResourceRecordSetsInput{
			HostedZoneId:          in.HostedZoneId,
			StartRecordName:       out.NextRecordName,
			StartRecordType:       out.NextRecordType,
			StartRecordIdentifier: out.NextRecordIdentifier,
		}
		if next.StartRecordName == nil {
			u.partial("ListResourceRecordSets", snapshot.ClassTruncated, fmt.Sprintf("zone %s: the answer is truncated but names no next record", zoneID))
			break
		}
		if str(next.StartRecordName) == str(in.StartRecordName) && next.StartRecordType == in.StartRecordType &&
			str(next.StartRecordIdentifier) == str(in.StartRecordIdentifier) {
			u.partial("ListResourceRecordSets", snapshot.ClassTruncated, fmt.Sprintf("zone %s: the next page starts where this one did (%s %s)", zoneID, str(next.StartRecordName), next.StartRecordType))
			break
		}
		in = next
	}
	u.add(func(out *snapshot.Snapshot) { out.DNSRecords = append(out.DNSRecords, recs...) })
}

// dnsRecord normalizes one record set. Only A, AAAA and CNAME sets (plain or alias)
// are kept: they are what a name resolves to. NS, SOA, TXT, MX, SRV, CAA, PTR, SPF,
// NAPTR, DS, SSHFP, TLSA, HTTPS and SVCB sets are left out on purpose because no rule
// reads them (HTTPS/SVCB can name another endpoint for clients that use them; add them
// here if a rule needs that).
func dnsRecord(account, zoneID string, rr r53types.ResourceRecordSet) (snapshot.DNSRecord, bool) {
	switch rr.Type {
	case r53types.RRTypeA, r53types.RRTypeAaaa, r53types.RRTypeCname:
	default:
		return snapshot.DNSRecord{}, false
	}
	fqdn := normHost(str(rr.Name))
	typ := string(rr.Type)
	id := zoneID + "/" + fqdn + "/" + typ
	if s := str(rr.SetIdentifier); s != "" {
		id += "/" + s
	}
	r := snapshot.DNSRecord{
		Entity:        snapshot.Entity{ID: id, Provider: "aws", Account: account, Region: "global"},
		ZoneID:        zoneID,
		FQDN:          fqdn,
		Type:          typ,
		SetIdentifier: str(rr.SetIdentifier),
		RoutingPolicy: routingPolicy(rr),
	}
	if rr.TTL != nil {
		r.TTL = int(*rr.TTL)
	}
	if rr.Weight != nil {
		w := int(*rr.Weight)
		r.Weight = &w
	}
	for _, v := range rr.ResourceRecords {
		val := strings.TrimSpace(str(v.Value))
		switch rr.Type {
		case r53types.RRTypeCname:
			val = normHost(val)
		case r53types.RRTypeAaaa:
			val = strings.ToLower(val)
		}
		if val != "" {
			r.Values = append(r.Values, val)
		}
	}
	if a := rr.AliasTarget; a != nil {
		r.Alias = &snapshot.DNSAlias{DNSName: normHost(str(a.DNSName)), HostedZoneID: hostedZoneID(str(a.HostedZoneId))}
	}
	return r, true
}

// routingPolicy names the routing policy of a record set from the field that marks it
// ("" for a simple record).
func routingPolicy(rr r53types.ResourceRecordSet) string {
	switch {
	case rr.Weight != nil:
		return "weighted"
	case rr.Region != "":
		return "latency"
	case rr.Failover != "":
		return "failover"
	case rr.GeoLocation != nil:
		return "geolocation"
	case rr.GeoProximityLocation != nil:
		return "geoproximity"
	case rr.CidrRoutingConfig != nil:
		return "cidr"
	case rr.MultiValueAnswer != nil && *rr.MultiValueAnswer:
		return "multivalue"
	}
	return ""
}

// hostedZoneID is a zone id without Route 53's "/hostedzone/" prefix.
func hostedZoneID(id string) string {
	return strings.TrimPrefix(id, "/hostedzone/")
}
