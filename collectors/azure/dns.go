package azure

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/dns/armdns"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/privatedns/armprivatedns"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// dnsZones lists the public DNS zones and their A, AAAA and CNAME record sets (alias
// record sets keep their targetResource).
func (u *unit) dnsZones() error {
	zones, err := armdns.NewZonesClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	records, err := armdns.NewRecordSetsClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	var listed []snapshot.DNSZone
	ok := eachItem(u.ctx, &u.scope, "list DNS zones", zones.NewListPager(nil),
		func(p armdns.ZonesClientListResponse) []*armdns.Zone { return p.Value },
		func(z *armdns.Zone) {
			if z.ID == nil {
				return
			}
			zone := snapshot.DNSZone{Entity: u.entity(z.ID, z.Name, nil, z.Tags), DNSName: normName(deref(z.Name))}
			if p := z.Properties; p != nil {
				zone.Private = deref(p.ZoneType) == armdns.ZoneTypePrivate
				var nets []string
				for _, n := range append(append([]*armdns.SubResource{}, p.ResolutionVirtualNetworks...), p.RegistrationVirtualNetworks...) {
					if n != nil && n.ID != nil {
						nets = append(nets, snapshot.CanonicalAzureID(*n.ID))
					}
				}
				zone.NetworkIDs = snapshot.SortedSet(nets)
			}
			listed = append(listed, zone)
		})
	if !ok {
		return nil
	}
	u.out.DNSZones = listed
	for _, zone := range listed {
		op := "list record sets of DNS zone " + zone.DNSName
		eachItem(u.ctx, &u.scope, op, records.NewListAllByDNSZonePager(resourceGroupOf(zone.ID), zone.Name, nil),
			func(p armdns.RecordSetsClientListAllByDNSZoneResponse) []*armdns.RecordSet { return p.Value },
			func(rs *armdns.RecordSet) {
				if rs.ID == nil || rs.Properties == nil {
					return
				}
				p := rs.Properties
				rec := dnsRecord{
					id: deref(rs.ID), name: deref(rs.Name), typ: deref(rs.Type), fqdn: deref(p.Fqdn), ttl: deref(p.TTL),
				}
				for _, a := range p.ARecords {
					if a != nil {
						rec.a = append(rec.a, deref(a.IPv4Address))
					}
				}
				for _, a := range p.AaaaRecords {
					if a != nil {
						rec.aaaa = append(rec.aaaa, deref(a.IPv6Address))
					}
				}
				if p.CnameRecord != nil {
					rec.cname = deref(p.CnameRecord.Cname)
				}
				if p.TargetResource != nil {
					rec.target = deref(p.TargetResource.ID)
				}
				if r, ok := u.dnsRecord(&zone, rec); ok {
					u.out.DNSRecords = append(u.out.DNSRecords, r)
				}
			})
	}
	return nil
}

// privateDNSZones lists the private DNS zones with the VNets linked to them (links whose
// state is Completed: a link still in progress does not resolve yet) and their records.
func (u *unit) privateDNSZones() error {
	zones, err := armprivatedns.NewPrivateZonesClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	links, err := armprivatedns.NewVirtualNetworkLinksClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	records, err := armprivatedns.NewRecordSetsClient(u.sub, u.c.Credential, u.c.ClientOptions)
	if err != nil {
		return err
	}
	var listed []snapshot.DNSZone
	ok := eachItem(u.ctx, &u.scope, "list private DNS zones", zones.NewListPager(nil),
		func(p armprivatedns.PrivateZonesClientListResponse) []*armprivatedns.PrivateZone { return p.Value },
		func(z *armprivatedns.PrivateZone) {
			if z.ID != nil {
				listed = append(listed, snapshot.DNSZone{Entity: u.entity(z.ID, z.Name, nil, z.Tags), DNSName: normName(deref(z.Name)), Private: true})
			}
		})
	if !ok {
		return nil
	}
	for i := range listed {
		zone := &listed[i]
		rg := resourceGroupOf(zone.ID)
		op := "list virtual network links of private DNS zone " + zone.DNSName
		eachItem(u.ctx, &u.scope, op, links.NewListPager(rg, zone.Name, nil),
			func(p armprivatedns.VirtualNetworkLinksClientListResponse) []*armprivatedns.VirtualNetworkLink {
				return p.Value
			},
			func(l *armprivatedns.VirtualNetworkLink) {
				if l.Properties == nil || l.Properties.VirtualNetwork == nil || l.Properties.VirtualNetwork.ID == nil {
					return
				}
				if st := deref(l.Properties.VirtualNetworkLinkState); st != "" && st != armprivatedns.VirtualNetworkLinkStateCompleted {
					return
				}
				zone.NetworkIDs = append(zone.NetworkIDs, snapshot.CanonicalAzureID(*l.Properties.VirtualNetwork.ID))
			})
		zone.NetworkIDs = snapshot.SortedSet(zone.NetworkIDs)
	}
	u.out.DNSZones = listed
	for _, zone := range listed {
		op := "list record sets of private DNS zone " + zone.DNSName
		eachItem(u.ctx, &u.scope, op, records.NewListPager(resourceGroupOf(zone.ID), zone.Name, nil),
			func(p armprivatedns.RecordSetsClientListResponse) []*armprivatedns.RecordSet { return p.Value },
			func(rs *armprivatedns.RecordSet) {
				if rs.ID == nil || rs.Properties == nil {
					return
				}
				p := rs.Properties
				rec := dnsRecord{id: deref(rs.ID), name: deref(rs.Name), typ: deref(rs.Type), fqdn: deref(p.Fqdn), ttl: deref(p.TTL)}
				for _, a := range p.ARecords {
					if a != nil {
						rec.a = append(rec.a, deref(a.IPv4Address))
					}
				}
				for _, a := range p.AaaaRecords {
					if a != nil {
						rec.aaaa = append(rec.aaaa, deref(a.IPv6Address))
					}
				}
				if p.CnameRecord != nil {
					rec.cname = deref(p.CnameRecord.Cname)
				}
				if r, ok := u.dnsRecord(&zone, rec); ok {
					u.out.DNSRecords = append(u.out.DNSRecords, r)
				}
			})
	}
	return nil
}

// dnsRecord is a record set of either DNS module, reduced to what the model keeps.
type dnsRecord struct {
	id, name, typ, fqdn string
	ttl                 int64
	a, aaaa             []string
	cname, target       string
}

// dnsRecord maps a record set of zone; only A, AAAA and CNAME sets are kept.
func (u *unit) dnsRecord(zone *snapshot.DNSZone, rec dnsRecord) (snapshot.DNSRecord, bool) {
	typ := strings.ToUpper(lastName(rec.typ)) // "Microsoft.Network/dnszones/CNAME"
	if typ != "A" && typ != "AAAA" && typ != "CNAME" {
		return snapshot.DNSRecord{}, false
	}
	r := snapshot.DNSRecord{
		Entity: u.entity(&rec.id, &rec.name, nil, nil), ZoneID: zone.ID, Type: typ, TTL: int(rec.ttl),
	}
	r.FQDN = normName(rec.fqdn)
	if r.FQDN == "" {
		r.FQDN = zone.DNSName
		if rec.name != "@" && rec.name != "" {
			r.FQDN = normName(rec.name) + "." + zone.DNSName
		}
	}
	op := "list record sets of " + zone.DNSName
	switch typ {
	case "A":
		r.Values = u.addrs(op, "record "+r.FQDN+" A", rec.a)
	case "AAAA":
		r.Values = u.addrs(op, "record "+r.FQDN+" AAAA", rec.aaaa)
	case "CNAME":
		if rec.cname != "" {
			r.Values = []string{normName(rec.cname)}
		}
	}
	if rec.target != "" {
		r.Alias = &snapshot.DNSAlias{TargetResource: snapshot.CanonicalAzureID(rec.target)}
	}
	return r, true
}

// normName lower-cases a DNS name and drops the trailing dot.
func normName(s string) string { return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") }
