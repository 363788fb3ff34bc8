package acme.path.no_ssh_test

import data.acme.path.no_ssh

_dst := {"key": "subnet-1#sg-1", "kind": "interfaces", "id": "subnet-1", "network_id": "vpc-1"}

_hop := {"kind": "filter", "resource_id": "sg-1", "resource_kind": "aws-security-group", "key": "sgr-1", "action": "allow"}

_flow(class, ports) := {"source": {"class": class}, "destination": _dst.key, "protocol": "tcp", "ports": ports, "hops": [_hop]}

test_ssh_from_internet if {
	findings := no_ssh.deny with input as {"reach": {"destinations": {_dst.key: _dst}, "flows": [_flow("internet", [{"from": 22, "to": 22}])]}}
	count(findings) == 1
}

test_https_only if {
	count(no_ssh.deny) == 0 with input as {"reach": {"destinations": {_dst.key: _dst}, "flows": [_flow("internet", [{"from": 443, "to": 443}])]}}
}

test_ssh_from_kong_only if {
	count(no_ssh.deny) == 0 with input as {"reach": {"destinations": {_dst.key: _dst}, "flows": [_flow("kong-dp", [{"from": 22, "to": 22}])]}}
}
