package aws

import "strings"

// edgeServices are the services of the customer's public edge: DNS (Route 53, global)
// and load balancers with their WAF association (ELBv2 and WAFv2, regional).
var edgeServices = []service{route53Service, elbv2Service}

// normHost is a DNS name as the snapshot keeps it: Route 53's escapes decoded, lower
// case, without the trailing dot.
func normHost(name string) string {
	return strings.TrimSuffix(strings.ToLower(decodeDNSEscapes(name)), ".")
}

// decodeDNSEscapes decodes the \ddd octal escapes Route 53 uses in names for every
// character but a-z, 0-9, '-', '_' and '.' (\052 for '*', \100 for '@'). A backslash
// not followed by three octal digits is kept as it is.
func decodeDNSEscapes(name string) string {
	if !strings.Contains(name, `\`) {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	for i := 0; i < len(name); i++ {
		if name[i] == '\\' && i+3 < len(name) && isOctal(name[i+1]) && isOctal(name[i+2]) && isOctal(name[i+3]) {
			v := int(name[i+1]-'0')*64 + int(name[i+2]-'0')*8 + int(name[i+3]-'0')
			if v <= 0xff {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(name[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
