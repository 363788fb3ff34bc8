# METADATA
# description: >-
#   The trap classes of path-based verdicts (issue: exposure decided on paths), on the
#   reachability model the engine computes for each estate of
#   data.dcgw.lib.trap_fixtures: each trap stays silent and its twin, one entry away,
#   gives the finding.
package dcgw.firewall.traps_test

import data.dcgw.firewall.all_traffic
import data.dcgw.firewall.open_ingress
import data.dcgw.firewall.wide_konnect_source
import data.dcgw.lib.fixtures
import data.dcgw.lib.trap_fixtures

# findings are the [rule, resource, key] of the firewall rules on a trap estate.
findings(name) := got if {
	got := {[id, f.resource, f.key] |
		some id, deny in {
			"FW-001": open_ingress.deny,
			"FW-002": wide_konnect_source.deny,
			"FW-003": all_traffic.deny,
		}
		some f in deny
	} with input as trap_fixtures.with_model(name) with data.config as fixtures.config
}

# The default NACL (all traffic from 0.0.0.0/0) in front of a security group that admits
# only the data plane IPs on 443: no finding at all.
test_default_nacl_tight_sg_silent if {
	findings("default_nacl_tight_sg") == set()
}

# Twin: the group also admits tcp 22 from 0.0.0.0/0: one finding, on the group's rule,
# not on the NACL entry.
test_default_nacl_open_sg_finds_the_group_rule if {
	findings("default_nacl_open_sg") == {["FW-001", "sg-1", "sgr-ssh"]}
}

# The NACL admits 443 from anywhere, the group is open on 443, but the NACL lets only
# 443 out: the reply on the ephemeral ports is dropped, nothing gets through.
test_reply_blocked_by_nacl_egress_silent if {
	findings("reply_blocked") == set()
}

test_reply_allowed_finds if {
	findings("reply_allowed") == {["FW-001", "sg-1", "sgr-https"]}
}

# A managed prefix list holding 0.0.0.0/0 opens the group to the internet.
test_prefix_list_with_open_range_finds if {
	findings("prefix_list_open") == {["FW-001", "sg-1", "sgr-pl"]}
}

test_prefix_list_of_partner_range_silent if {
	findings("prefix_list_partner") == set()
}

# All traffic from the group's own members (a reference) and from its own VPC is not wide.
test_sg_reference_and_own_network_silent if {
	findings("sg_reference") == set()
}

# Twin: all traffic from 10.0.0.0/8, which holds the Konnect network.
test_sg_wide_finds if {
	got := findings("sg_wide")
	["FW-003", "sg-1", "sgr-wide"] in got
	not ["FW-001", "sg-1", "sgr-wide"] in got
}

# Azure: the subnet NSG allows 443 from the internet, the NIC's NSG denies it.
test_nsg_subnet_allow_nic_deny_silent if {
	not _internet("nsg_nic_deny")
}

test_nsg_both_levels_allow_finds if {
	["FW-001", "nsg-nic", "r-nic"] in findings("nsg_nic_allow")
}

# A deny at a lower priority number wins over the allow behind it.
test_nsg_deny_at_lower_number_wins_silent if {
	not _internet("nsg_deny_first")
}

test_nsg_deny_at_higher_number_too_late_finds if {
	["FW-001", "nsg-sub", "r-allow"] in findings("nsg_deny_late")
}

_internet(name) if {
	some f in findings(name)
	f[0] == "FW-001"
}
