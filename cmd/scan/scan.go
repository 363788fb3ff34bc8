package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
)

func newScanCmd(g *globals, stdout io.Writer) *cobra.Command {
	var f struct {
		checkFlags
		snapshotOut, konnectURL string
	}
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Collect every configured source, evaluate the rules and report the findings",
		Long: `Collect every source of the config (sources: konnect, dns (its hostnames plus the
Konnect custom domains), aws and azure; or the Konnect side declared under konnect:)
into one snapshot, optionally saved with --snapshot-out, then evaluate and report
exactly as check does. Without a config, dcgw-scan init writes a starting one.

The Konnect token comes from KONNECT_TOKEN, else sources.konnect.token_file. AWS
credentials come from the SDK's chain (environment, --profile/AWS_PROFILE, SSO, web
identity, instance role): dcgw-scan iam-policy aws prints the read-only policy they need.
Azure uses DefaultAzureCredential with the Reader role.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/config/input error,
3 incomplete (a scope failed or a rule could not be evaluated; wins over 1).`,
		Example: `  KONNECT_TOKEN=kpat_… dcgw-scan scan --config dcgw-scan.yaml
  dcgw-scan scan --snapshot-out snapshot.json --format sarif --output dcgw.sarif`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := app.Scan(cmd.Context(), app.ScanOptions{
				CheckOptions: f.options(g), SnapshotOut: f.snapshotOut, KonnectURL: f.konnectURL,
			})
			return writeReport(rep, err, f.output, stdout)
		},
	}
	f.bind(cmd, "dcgw-scan.yaml", "YAML config file (sources, rule parameters, policy_dirs, fail_on)",
		`repository-relative path SARIF results point at (default: the --snapshot-out path, else "snapshot.json")`)
	cmd.Flags().StringVar(&f.snapshotOut, "snapshot-out", "", "also save the collected snapshot to this file (SARIF results then point at it)")
	cmd.Flags().StringVar(&f.konnectURL, "konnect-url", "", "Konnect API base URL (overrides sources.konnect.url)")
	return cmd
}
