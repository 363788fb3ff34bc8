package snapshot

// Collections are the names of the snapshot's entity collections, as they appear in
// the JSON document and in Scope.Collections and rule metadata (custom.inputs).
var Collections = []string{
	"konnect.networks",
	"konnect.custom_domains",
	"konnect.availability",
	"networks",
	"subnets",
	"route_tables",
	"peerings",
	"hubs",
	"hub_attachments",
	"hub_route_tables",
	"firewalls",
	"prefix_lists",
	"load_balancers",
	"target_groups",
	"dns_zones",
	"dns_records",
	"dns_resolutions",
	"private_endpoints",
	"resource_gateways",
	"shares",
}

// IsCollection reports whether name is one of Collections.
func IsCollection(name string) bool {
	for _, c := range Collections {
		if c == name {
			return true
		}
	}
	return false
}
