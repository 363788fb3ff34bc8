package main

import (
	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
)

func newMergeCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge SNAPSHOT... --out FILE",
		Short: "Merge snapshots collected separately into one for check",
		Long: `Merge snapshots that collect wrote source by source (konnect, dns, aws, azure, or
snapshots written elsewhere) into one, so check evaluates the whole estate at once:
each rule needs the Konnect side and the cloud side together, and a snapshot of one
source alone leaves the others' rules not evaluated.

Every input is loaded and validated as check would. Cloud entities seen in several
inputs are kept once (the first input's copy); the same Konnect network or custom
domain in two inputs is an error, since there is no telling which is right. Konnect's
Azure ids are respelled to the collected entities' (Azure ids are case-insensitive).
The output is written whole or not at all. Exit 0, or 2 for a bad input.`,
		Example: `  dcgw-scan collect konnect --out konnect.json
  dcgw-scan collect aws --org --role-name DcgwScanReadOnly --out aws.json
  dcgw-scan merge konnect.json aws.json --out estate.json
  dcgw-scan check estate.json --format sarif --output dcgw.sarif`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := app.Merge(args, out, g.logger); err != nil {
				return usageError(err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "snapshot file to write (required; written whole or not at all)")
	return cmd
}
