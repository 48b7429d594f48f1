package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/mesh"
)

func newMeshCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "mesh",
		Short:   "Manage the mesh itself (its key)",
		Example: `  meshctl mesh init --key-file /etc/meshvault/mesh.key`,
	}
	cmd.AddCommand(newMeshInitCmd())
	return cmd
}

func newMeshInitCmd() *cobra.Command {
	var keyFile string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a new mesh key (32 random bytes, mode 0600); never overwrites",
		Long: `Write a new mesh key: 32 random bytes in a file of mode 0600. The key
encrypts all gossip and is what makes a node a member: copy the same file
to every site (scp, a secret store) and pass it to meshnode with
--mesh-key-file. An existing file is never overwritten.`,
		Example: `  meshctl mesh init --key-file /etc/meshvault/mesh.key
  scp /etc/meshvault/mesh.key site-b:/etc/meshvault/mesh.key`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if keyFile == "" {
				return errors.New("--key-file is required: the path to write the new mesh key to")
			}
			if err := mesh.NewKeyFile(keyFile); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote a new mesh key to %s (mode 0600); copy it to every site\n", keyFile)
			return nil
		},
	}
	cmd.Flags().StringVar(&keyFile, "key-file", "", "where to write the key")
	return cmd
}
