package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

func newSchemaCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the snapshot format",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := stdout.Write(snapshot.Schema())
			return err
		},
	}
}
