package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/internal/app"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// defaultConfigPath is where init writes and scan reads the config.
const defaultConfigPath = "dcgw-scan.yaml"

// nextSteps is what init prints: the file it wrote and how to get to a first scan.
const nextSteps = `wrote %s
Next:
  1. Edit its sources: keep konnect and dns, uncomment aws or azure for the clouds you
     use, and remove what you do not collect (README, "First real scan").
  2. Give the collectors read access: a Konnect token in KONNECT_TOKEN, AWS credentials
     allowed the policy of 'dcgw-scan iam-policy aws', the Azure Reader role.
  3. Run: dcgw-scan scan --config %s
     Exit 3 means some scope could not be read: the report says which and why.
`

func newInitCmd(stdout io.Writer) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init [PATH]",
		Short: "Write a commented starting config (dcgw-scan.yaml)",
		Long: `Write a commented starting config to PATH (default dcgw-scan.yaml). An existing
file is left alone (exit 2) unless --force.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			path := defaultConfigPath
			if len(args) == 1 {
				path = args[0]
			}
			if !force {
				if _, err := os.Lstat(path); err == nil {
					return usageError(fmt.Errorf("%s exists; use --force to overwrite it", path))
				} else if !errors.Is(err, fs.ErrNotExist) {
					return usageError(err)
				}
			}
			if err := snapshot.WriteFile(path, []byte(app.StarterConfig)); err != nil {
				return usageError(fmt.Errorf("write config: %w", err))
			}
			_, err := fmt.Fprintf(stdout, nextSteps, path, path)
			return err
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}
