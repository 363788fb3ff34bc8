package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
)

func newPathCmd(g *globals, stdout io.Writer) *cobra.Command {
	var o app.PathOptions
	cmd := &cobra.Command{
		Use:   "path SNAPSHOT --from kong|internet|IP --to IP|RESOURCE-ID [--port 443/tcp]",
		Short: "Explain hop by hop whether traffic gets from a source to a destination",
		Long: `Answer one reachability question on a snapshot: can --from reach --to on --port?
The answer lists every hop checked in order (the route entries and peering or hub on
the way, each network ACL, security group, NSG or firewall rule, and the return route)
and, when the traffic is not admitted, the first hop that drops it and why.

--from is kong (every data plane IP of the Konnect network connected to the
destination), internet, or an IP address (a data plane IP, another address of a Konnect
network, an address of a customer network, or else a public address). --to is an IP
address (the destinations of the subnet holding it) or a resource id: a subnet, a
network interface, a load balancer, a resource gateway, or a security group or NSG in
front of one. --port is PORT[/PROTOCOL] with PROTOCOL tcp (the default) or udp.

The config's edge_load_balancers says which load balancers are the edge, and its
konnect section gives a snapshot without a Konnect side one, as for check. A snapshot
with failed or partial scopes is answered from what was read, with a warning.

Exit codes: 0 admitted, 1 not admitted, 2 usage/config/input error (a bad flag or
snapshot, or a --to that is not a gateway-facing destination of the snapshot).`,
		Example: `  dcgw-scan path snapshot.json --from kong --to 10.20.1.5 --port 443/tcp
  dcgw-scan path snapshot.json --from internet --to eni-0a1b2c3d4e5f67890 --port 22
  dcgw-scan path snapshot.json --from 10.40.11.23 --to subnet-02269cacf51e33c5b --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Logger = g.logger
			rep, err := app.Path(cmd.Context(), args[0], o)
			if err != nil {
				return appError(err)
			}
			if _, err := stdout.Write(rep.Data); err != nil {
				return err
			}
			if !rep.Verdict.Admitted {
				return &exitError{code: exitNotAdmitted}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Config, "config", "c", "", "YAML config file (edge_load_balancers, a declared konnect side)")
	fl.StringVar(&o.From, "from", "", "source: kong, internet or an IP address (required)")
	fl.StringVar(&o.To, "to", "", "destination: an IP address or a resource id (required)")
	fl.StringVar(&o.Port, "port", app.DefaultPort, "PORT[/PROTOCOL], PROTOCOL tcp or udp (e.g. 443/tcp, 8443, 53/udp)")
	fl.StringVarP(&o.Format, "format", "f", "text", "output format: text or json")
	return cmd
}
