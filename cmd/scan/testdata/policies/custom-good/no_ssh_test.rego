package acme.firewall.no_ssh_test

import data.acme.firewall.no_ssh

estate := {
	"konnect": {"networks": [{"id": "kn", "cidr": "10.40.0.0/16", "attachments": [{"id": "a", "kind": "aws-vpc-peering-attachment", "network_id": "vpc-1"}]}]},
	"firewalls": [{"id": "sg-1", "network_id": "vpc-1", "rules": [{"id": "r1", "direction": "ingress", "action": "allow", "protocol": "tcp", "ports": [{"from": 22, "to": 22}]}]}],
}

test_ssh_found if {
	{f.resource | some f in no_ssh.deny} == {"sg-1"} with input as estate
}

test_https_fine if {
	count(no_ssh.deny) == 0 with input as json.patch(estate, [{"op": "replace", "path": "/firewalls/0/rules/0/ports/0", "value": {"from": 443, "to": 443}}])
}
