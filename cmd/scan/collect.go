package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
)

func newCollectCmd(g *globals) *cobra.Command {
	var f app.CollectOptions
	cmd := &cobra.Command{
		Use:   "collect konnect|dns|aws|azure --out FILE",
		Short: "Collect one source into a snapshot file",
		Long: `Collect one source into a snapshot file, for check to evaluate later.

konnect reads the Konnect cloud-gateways API (sources.konnect in the config; the token
from KONNECT_TOKEN, else sources.konnect.token_file). dns resolves sources.dns.hostnames.

aws reads every enabled region (or --regions) of one account, the account of --role-arn,
or with --org --role-name every active account of the organization; credentials come from
the SDK's standard chain (environment, --profile / AWS_PROFILE, SSO, instance roles), and
AWS_ENDPOINT_URL[_<SERVICE>] redirects calls. Only Describe/List/Get/Search calls are made:
'dcgw-scan iam-policy aws' prints the policy they need.

azure reads every subscription the credential can list (or --subscription), with
DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI).

Flags override the config's sources section. Exit codes: 0 every scope collected,
2 usage/config error (no file written), 3 a scope failed or is partial (the snapshot is
still written and says why).`,
		Example: `  KONNECT_TOKEN=kpat_… dcgw-scan collect konnect --out konnect.json
  dcgw-scan collect dns --config dcgw-scan.yaml --out dns.json
  dcgw-scan collect aws --profile prod --regions eu-west-1,us-east-1 --out aws.json
  dcgw-scan collect aws --org --role-name DcgwScanReadOnly --out aws.json
  dcgw-scan collect azure --subscription 00000000-0000-0000-0000-000000000000 --out azure.json`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{app.SourceKonnect, app.SourceDNS, app.SourceAWS, app.SourceAzure},
		RunE: func(cmd *cobra.Command, args []string) error {
			f.Logger = g.logger
			snap, err := app.Collect(cmd.Context(), args[0], f)
			if err != nil {
				return appError(err)
			}
			if n := app.CountIncomplete(snap.Scopes); n > 0 {
				return &exitError{code: exitIncomplete, err: fmt.Errorf(
					"collect %s: %d of %d scopes failed or are partial; %s records why", args[0], n, len(snap.Scopes), f.Out)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.Config, "config", "c", "", "YAML config file (its sources section)")
	fl.StringVar(&f.Out, "out", "", "snapshot file to write (required; written whole or not at all)")
	fl.StringVar(&f.KonnectURL, "konnect-url", "", "Konnect API base URL (overrides sources.konnect.url)")
	fl.StringVar(&f.AWS.Profile, "profile", "", "aws: shared config profile")
	fl.StringVar(&f.AWS.RoleARN, "role-arn", "", "aws: role to assume; its account is read")
	fl.BoolVar(&f.Org, "org", false, "aws: read every active account of the organization (with --role-name)")
	fl.StringVar(&f.AWS.OrgRoleName, "role-name", "", "aws: with --org, the role assumed in each member account")
	fl.StringVar(&f.AWS.ExternalID, "external-id", "", "aws: external id for AssumeRole")
	fl.StringSliceVar(&f.Regions, "regions", nil, "aws: regions to read, comma-separated (default: each account's enabled regions)")
	fl.StringArrayVar(&f.Subscriptions, "subscription", nil, "azure: subscription id to read (repeatable; default: every subscription the credential lists)")
	fl.IntVar(&f.Concurrency, "concurrency", 0, "aws, azure: units of work in flight (default 128 for aws, 8 for azure)")
	return cmd
}
