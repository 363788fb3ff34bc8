package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	awscollector "github.com/dcgw-scan/dcgw-scan/collectors/aws"
	"github.com/dcgw-scan/dcgw-scan/internal/app"
)

func newIAMPolicyCmd(stdout io.Writer) *cobra.Command {
	var roleName string
	cmd := &cobra.Command{
		Use:   "iam-policy aws",
		Short: "Print the minimal IAM policy the AWS collector needs",
		Long: `Print the IAM identity policy (JSON) for the role dcgw-scan reads an AWS account
with: exactly the Describe, List, Get and Search actions the collector can call, nothing
that changes state. With --role-name (organization mode) it adds what the caller needs
in the management account: organizations:ListAccounts and sts:AssumeRole on that role.`,
		Example: `  dcgw-scan iam-policy aws > dcgw-scan-read.json
  dcgw-scan iam-policy aws --role-name DcgwScanReadOnly`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{app.SourceAWS},
		RunE: func(_ *cobra.Command, args []string) error {
			if args[0] != app.SourceAWS {
				return usageError(fmt.Errorf("iam-policy: %q: only aws has an IAM policy (Azure: grant the built-in Reader role)", args[0]))
			}
			doc, err := awscollector.IAMPolicy(roleName)
			if err != nil {
				return err
			}
			_, err = stdout.Write(doc)
			return err
		},
	}
	cmd.Flags().StringVar(&roleName, "role-name", "", "organization mode: the role assumed in each member account")
	return cmd
}
