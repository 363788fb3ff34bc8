package reach

import (
	"strconv"
	"strings"
)

// String is the hop on one line, for people: what it is, which entry, and what it did,
// e.g. "aws-network-acl acl-1 ingress/100: allow (reply egress/100 on 1024-65535)" or
// "route table rtb-1 10.40.0.0/16 -> pcx-1: forward".
func (h Hop) String() string {
	var b strings.Builder
	switch h.Kind {
	case "route":
		b.WriteString("route table ")
	case "hub-route":
		b.WriteString("hub route table ")
	case "peering":
		b.WriteString("peering ")
	case "attachment":
		b.WriteString("attachment ")
	case "filter":
		if h.ResourceKind != "" {
			b.WriteString(h.ResourceKind + " ")
		} else {
			b.WriteString("filter ")
		}
	default:
		b.WriteString(h.Kind + " ")
	}
	b.WriteString(h.ResourceID)
	if h.Key != "" && h.Key != h.ResourceID {
		b.WriteString(" " + h.Key)
	}
	if h.Target != "" {
		b.WriteString(" -> " + h.Target)
	}
	b.WriteString(": " + h.Action)
	if h.State != "" && h.State != h.Action {
		b.WriteString(" (" + h.State + ")")
	}
	if h.ReplyKey != "" {
		b.WriteString(" (reply " + h.ReplyKey)
		if len(h.ReplyPorts) > 0 {
			b.WriteString(" on " + portsText(h.ReplyPorts))
		}
		b.WriteString(")")
	}
	if h.Implicit {
		b.WriteString(" [implicit]")
	}
	if h.Note != "" {
		if h.Assumed {
			b.WriteString(" [assumed: " + h.Note + "]")
		} else {
			b.WriteString(" [" + h.Note + "]")
		}
	} else if h.Assumed {
		b.WriteString(" [assumed]")
	}
	return b.String()
}

// portsText is "443, 8000-8100".
func portsText(ps []PortRange) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		if p.From == p.To {
			parts[i] = strconv.Itoa(p.From)
		} else {
			parts[i] = strconv.Itoa(p.From) + "-" + strconv.Itoa(p.To)
		}
	}
	return strings.Join(parts, ", ")
}
