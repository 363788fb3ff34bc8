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

// Sources are the providers whose collectors fill each collection: "konnect" for the
// Konnect API and "dns" for live resolution besides the clouds. A rule that reads a
// collection needs a scope of each of these providers that takes part in the estate.
var Sources = map[string][]string{
	"konnect.networks":       {"konnect"},
	"konnect.custom_domains": {"konnect"},
	"konnect.availability":   {"konnect"},
	"networks":               {"aws", "azure", "gcp"},
	"subnets":                {"aws", "azure", "gcp"},
	"route_tables":           {"aws", "azure", "gcp"},
	"peerings":               {"aws", "azure", "gcp"},
	"hubs":                   {"aws", "azure"},
	"hub_attachments":        {"aws", "azure"},
	"hub_route_tables":       {"aws", "azure"},
	"firewalls":              {"aws", "azure", "gcp"},
	"prefix_lists":           {"aws"},
	"load_balancers":         {"aws", "azure", "gcp"},
	"target_groups":          {"aws", "azure", "gcp"},
	"dns_zones":              {"aws", "azure", "gcp"},
	"dns_records":            {"aws", "azure", "gcp"},
	"dns_resolutions":        {"dns"},
	"private_endpoints":      {"aws"},
	"resource_gateways":      {"aws"},
	"shares":                 {"aws"},
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
